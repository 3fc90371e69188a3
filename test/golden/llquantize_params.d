// quiet
BEGIN
{
	/* steps (5) smaller than the factor (10): five buckets per magnitude */
	@fewer = llquantize(7, 10, 0, 2, 5);
	@fewer = llquantize(35, 10, 0, 2, 5);
	@fewer = llquantize(-350, 10, 0, 2, 5);
	/* high equal to low: one magnitude */
	@one = llquantize(-5, 4, 0, 0, 4);
	@one = llquantize(2, 4, 0, 0, 4, 3);
	/* low above 0: the middle bucket is |v| < factor^low */
	@mid = llquantize(-3, 2, 2, 3, 4);
	@mid = llquantize(3, 2, 2, 3, 4, 2);
	@mid = llquantize(9, 2, 2, 3, 4);
	/* no negative row printed: "< factor^low" */
	@pos = llquantize(5, 2, 2, 3, 4);
	/* weights that cancel: the middle row and the two above it */
	@none = llquantize(20, 10, 0, 1, 10, 2);
	@none = llquantize(20, 10, 0, 1, 10, -2);
	printf("fewer"); printa(@fewer);
	printf("one"); printa(@one);
	printf("mid"); printa(@mid);
	printf("pos"); printa(@pos);
	printf("none"); printa(@none);
	exit(0);
}

// quiet
BEGIN
{
	@total = sum(9223372036854775807);
	@total = sum(1);
	@unsigned = sum((uint64_t)-1);
	@unsigned = sum(2);
	printa("%@d\n", @total);
	printa("%@d\n", @unsigned);
	exit(0);
}

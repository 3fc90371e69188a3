// quiet
/*
 * alloca() returns a void *, as in DTrace: it is assigned to a pointer of any type without a
 * cast, and the int it holds is read and written through that pointer.
 */
int *counter;
this int *p;
BEGIN
{
	this->p = alloca(sizeof (int));
	*this->p = 41;
	counter = this->p;
	(*counter)++;
	this->c = (char *)alloca(8);
	this->v = this->c;
	printf("%d %d %d\n", *this->p, counter == this->p, (char *)this->v - this->c);
	exit(0);
}

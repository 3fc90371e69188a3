/* The guide's "Pointer Arithmetic": adding 1 to an int * adds 4 to the address */
int *x;

BEGIN
{
	trace(x);
	trace(x + 1);
	trace(x + 2);
	exit(0);
}

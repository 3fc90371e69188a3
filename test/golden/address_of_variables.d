/*
 * & of a member or element of a global D variable, as in the guide's "Pointer Arithmetic"
 * example: such a variable lives in memory for the whole run, so a pointer into it is read and
 * written like one into scratch, stays valid in later clauses, and differences count elements.
 */
int *x, *y;
int a[5];

BEGIN
{
	x = &a[0];
	y = &a[2];
	trace(y - x);
}

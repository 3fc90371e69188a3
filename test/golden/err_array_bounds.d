/*
 * A constant index out of a C array's range is refused at compile time whatever holds the
 * array, as DTrace for Linux's D_ARR_BOUNDS ("index outside array bounds", dt_parser.c, the
 * `+` that E1[E2] becomes): a global, a self-> or this-> variable, a struct member. Through a
 * pointer (`(&g.arr[0])[10]`) nothing is known and the index is checked when it runs.
 */
struct s {
	int arr[3];
	struct {
		char name[4];
	} inner;
};
this int ta[4];
self int sa[2];
struct s g;
BEGIN
{
	this->ta[4] = 1;
	trace(self->sa[2]);
	trace(g.arr[3]);
	self->sa[-1] = 2;
	g.inner.name[4] = 'x';
	this->ta[3] = 1;
	trace(g.arr[2] + (&g.arr[0])[10] + self->sa[1 + 0]);
	trace(self->sa[1 + 1]);
}

/* A global is a scalar or an associative array, never both: DTrace refuses the other use. */
struct point { int x; int y; };
BEGIN
{
	s = 1;
	s[0] = 2;
	a[0] = 1;
	a = 2;
	b[1] = 1;
	trace(b);
	this->p = (struct point *)alloca(8);
	p = *this->p;
	trace(p.x);
	p[0] = -1;
}

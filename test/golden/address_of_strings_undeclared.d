// quiet
/*
 * `&` of a part of a variable whose type holds a string, or of a variable with no
 * declaration (its type fixed by its first assignment), as DTrace allows (dt_cook_op1 refuses
 * only a variable itself, a dynamic object, a non-lvalue and a bit-field): such a variable
 * lives in memory, a string in it as a `char [strsize]` (sizeof (string) is 256), written
 * with a NUL within its size and read up to it.
 */
struct named { string s; int n; };
struct named nm;
self struct named snm;
this struct named tn;

BEGIN
{
	nm.s = "global";
	nm.n = 1;
	p = &nm.n;
	*p += 1;
	printf("nm: %s %d, sizeof %d\n", nm.s, nm.n, sizeof (nm));

	self->snm.s = "thread";
	this->q = &self->snm.n;
	*this->q = 5;
	this->sp = &self->snm.s;
	printf("self->snm: %s %d, *sp %s\n", self->snm.s, self->snm.n, *this->sp);
	*this->sp = "changed";
	printf("self->snm.s %s, strlen %d\n", self->snm.s, strlen(self->snm.s));

	this->tn = self->snm;
	this->r = &this->tn.n;
	this->tn.s = "copy";
	printf("this->tn: %s %d, self->snm.s %s\n", this->tn.s, *this->r, self->snm.s);

	this->m = (struct named *)alloca(sizeof (struct named));
	this->m->s = "scratch";
	this->m->n = 3;
	x = *this->m;
	printf("x: %s %d, %s\n", x.s, x.n, stringof(this->m));
}

BEGIN
{
	printf("later: %s %d, nm.s %s\n", self->snm.s, self->snm.n, nm.s);
}

struct point { int x; int y; };
this struct point tp;

BEGIN
{
	this->tp.x = 1;
	this->tp.y = 2;
	self->u = this->tp;
	this->p = &self->u.y;
	*this->p += 40;
	printf("self->u %d %d\n", self->u.x, self->u.y);
	this->v = this->tp;
	this->q = &this->v.x;
	this->q[1] = 7;
	printf("this->v %d %d, this->tp %d %d\n", this->v.x, this->v.y, this->tp.x, this->tp.y);
	g = this->tp;
	gp = &g.y;
	*gp = 9;
	printf("g %d %d, %d apart\n", g.x, g.y, &g.y - &g.x);
}

BEGIN
{
	printf("later: self->u.y %d, *gp %d\n", self->u.y, *gp);
	exit(0);
}

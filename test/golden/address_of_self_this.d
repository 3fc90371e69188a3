// quiet
/*
 * `&` of a member or element of a declared self-> or this-> struct or array, as DTrace allows
 * (dt_cook_op1 refuses only the variable itself): a pointer into the variable's bytes, whose
 * reads and writes the variable sees, and the other way round. Before its first write a
 * self-> variable has no bytes: a part's address is then its offset from 0, as in DTrace, and
 * reading through it faults.
 */
struct point { int x; int y; };
struct box { struct point corner; short tag[3]; };
struct vec { int arr[5]; };
self struct point s;
self struct box b;
this struct vec v;
this struct point tp;
int *p;

BEGIN
{
	p = &self->s.y;
	printf("before the first write: %d\n", (long)p);
	trace(*p);
}

BEGIN
{
	self->s.x = 1;
	p = &self->s.y;
	*p = 2;
	p[-1] += 10;
	printf("self->s: %d %d\n", self->s.x, self->s.y);

	this->v.arr[1] = 5;
	this->q = &this->v.arr[2];
	*this->q = 7;
	this->q[1] = this->v.arr[1] * 2;
	printf("this->v.arr: %d %d %d %d %d, %d apart\n", this->v.arr[0], this->v.arr[1], this->v.arr[2], this->v.arr[3],
	    this->v.arr[4], &this->v.arr[4] - &this->v.arr[0]);

	this->tp = self->s;
	this->pp = &this->tp.y;
	(*this->pp)++;
	printf("this->tp: %d %d, self->s.y %d\n", this->tp.x, this->tp.y, self->s.y);

	self->b.corner.y = 4;
	this->sp = &self->b.tag[1];
	this->sp[1] = -3;
	this->cp = &self->b.corner;
	printf("self->b: %d %d %d, sizeof %d\n", self->b.tag[2], this->cp->y, this->cp->x, sizeof (self->b));
}

fn:app:add:entry
/arg0 == 1/
{
	this->w = &self->s.y;
	*this->w = 9;
	printf("BEGIN's pointer, in the same thread here: %d; self->s.y %d %d\n", *p, self->s.y, *this->w);
}

ERROR { printf("ERROR %s: %s\n", arg4, arg5); }
END { exit(0); }

fn:app:add:entry
/arg0 == 2/
{
	this->tp.x = 6;
	kept = &this->tp.x;
	printf("this->tp.x through a pointer in its firing: %d\n", *kept);
}

fn:app:add:entry
/arg0 == 3/
{
	printf("a pointer to an earlier firing's this->tp: %d\n", *kept);
}

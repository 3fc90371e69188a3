// quiet
/*
 * A self-> struct in memory is each context's own, as self-> variables are: calls in flight
 * together write their own bytes through their own pointers, and a pointer taken in one
 * reads what that one stored.
 */
struct call { long n; long twice; };
self struct call c;

fn:app:wait:entry
{
	self->c.n = arg0;
	this->p = &self->c.twice;
	*this->p = arg0 * 2;
	self->keep = (long)this->p;
}

fn:app:wait:return
/self->c.n/
{
	printf("wait(%d): %d %d, through the kept pointer %d\n", self->c.n, self->c.twice, retval, *(long *)self->keep);
}

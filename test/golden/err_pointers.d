struct point { int x; int y; unsigned flag : 1; };
struct point pt;
int a[5];
void *vp;
this struct point tp;
BEGIN
{
	v = *timestamp;
	w = *vp;
	z = vp + 1;
	x = 1;
	q = &x;
	q = &self->d;
	q = &this->t;
	b["k"] = 1;
	q = &b["k"];
	this->pq = &pt;
	q = &this->tp.x;
	t1 = &this->tp;
	t2 = &this->tp.flag;
	q = &(x + 1);
	q = &1;
	q = &args[0];
	this->pp = (struct point *)alloca(sizeof (struct point));
	s = *this->pp;
	r = &this->pp->flag;
	t = this->pp->flag;
	this->s = "abc";
	this->s[0] = 'x';
	*1 = 2;
	self->n = 1;
	self->n[0] = 2;
}

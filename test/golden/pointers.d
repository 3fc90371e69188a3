// quiet
/* scratch memory through pointers: *p, p[i], *(p + i), &p[i], p - q, p++, stores */
int *x, *y;

BEGIN
{
	this->a = (int *)alloca(5 * sizeof (int));
	*this->a = 7;
	this->a[1] = -2;
	*(this->a + 2) = 300;
	x = &this->a[0];
	y = &this->a[2];
	this->a[3] = *x + y[-1];
	this->a[4] += 10;
	(*y)++;
	printf("%d %d %d %d %d (y - x = %d)\n", this->a[0], this->a[1], this->a[2], this->a[3], this->a[4], y - x);
	y++;
	printf("%d %d\n", *y, y - x);
	y -= 2;
	printf("%d %d\n", *y, &*y == &this->a[1]);
	/* the same bytes as char, little-endian */
	this->c = (char *)this->a;
	printf("%d %d %d\n", this->c[0], this->c[4], this->c[8]);
	this->c[8] = 0;
	printf("%d\n", this->a[2]);
}

/* widths and signs of what is stored and read back */
BEGIN
{
	this->u = (uint8_t *)alloca(1);
	*this->u = 300;
	this->s = (short *)alloca(2);
	*this->s = 40000;
	this->l = (uint64_t *)alloca(8);
	*this->l = 0xffffffffffffffff;
	this->d = (double *)alloca(8);
	*this->d = 2.5;
	this->f = (float *)alloca(4);
	*this->f = *this->d / 2;
	printf("%d %d %u %f %f\n", *this->u, *this->s, *this->l, *this->d, *this->f);
}

/* a struct in scratch: p->m, (*p).m, &p->m */
struct point { int x; int y; long tag; };

BEGIN
{
	this->pt = (struct point *)alloca(sizeof (struct point));
	this->pt->x = 3;
	(*this->pt).y = 4;
	this->py = &this->pt->y;
	*this->py *= 10;
	this->pt->tag = this->pt->x + this->pt->y;
	printf("%d %d %d %d\n", this->pt->x, this->pt->y, (*this->pt).tag, (char *)this->py - (char *)this->pt);
	this->pts = (struct point *)alloca(2 * sizeof (struct point));
	this->pts[1].y = 9;
	printf("%d %d\n", (this->pts + 1)->y, this->pts[0].y);
	exit(0);
}

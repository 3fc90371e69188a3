// quiet
/* Structs, unions and arrays read and written whole through pointers to scratch memory. */
struct point { int x; int y; };
struct shape { struct point corner; short sides[3]; unsigned int closed : 1; union { int i; char c; } tag; };
struct shape s;

BEGIN
{
	this->p = (struct shape *)alloca(2 * sizeof (struct shape));
	this->p->corner.x = 3;
	this->p->corner.y = -4;
	this->p->sides[2] = 7;
	this->p->closed = 1;
	this->p->tag.i = 0x141;
	s = *this->p;
	printf("%d %d %d %d %d %c\n", s.corner.x, s.corner.y, s.sides[2], s.closed, s.tag.i, s.tag.c);
	s.corner.x = 30;
	s.sides[0] = -1;
	this->p[1] = s;
	this->pt = this->p[1].corner;
	printf("%d %d %d %d\n", this->pt.x, this->p[1].sides[0], this->p[1].sides[2], sizeof (struct shape));
	*(&this->p->corner) = this->pt;
	printf("%d\n", this->p->corner.x);
	exit(0);
}

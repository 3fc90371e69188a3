/* Assignments DTrace refuses as "operands have incompatible types" (dt_node_is_argcompat). */
struct point { int x; int y; };
int *ip;
char *cp;
void *vp;
struct point *sp;
long l;
BEGIN
{
	ip = cp;
	ip = vp;
	vp = sp;
	sp = ip;
	ip = 0;
	ip = NULL;
	ip = 1;
	ip = l;
	l = ip;
	ip = alloca(4);
	this->p = (int *)alloca(8);
	this->p = (short *)alloca(8);
	ip = (int *)l;
	l = (long)ip;
	x = *alloca(4);
	y = alloca(4) + 1;
}

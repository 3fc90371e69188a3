struct point { int x; int y; };
struct point p;
enum nosuch en;
enum bad { Q = 1, R = Q * 2, S = 5000000000 };
struct bits { int a : 2; int b; };
int counts[string];
BEGIN
{
	p.z = 1;
	x = 5;
	x.y = 2;
	arg0.foo = 3;
	f = 1.5;
	g = f % 2;
	h = f << 1;
	t = xlate <struct point> (arg0);
	printf("%d", sizeof (struct nosuch));
	printf("%d", offsetof(struct bits, a));
	counts[1] = 2;
}
fn:app:add:entry { @s = sum(1.5); @q[2.5] = count(); @p = max(p); }

// quiet
typedef unsigned long long u64_t;
enum color { RED, GREEN = 5, BLUE };
struct point { int x; int y; };
struct flags { unsigned int a : 3; unsigned int b : 5; int c : 4; };
union num { int i; char c; };
inline int LIMIT = 10 * 2;
struct point p;
self struct point sp;
struct flags fl;

BEGIN
{
	p.x = 3; p.y = 4;
	self->sp.x = 7;
	fl.a = 9; fl.b = 31; fl.c = 9;
	printf("%d %d %d\n", p.x, p.y, self->sp.x);
	printf("%d %d %d\n", fl.a, fl.b, fl.c);
	printf("%d %d %d %d\n", RED, GREEN, BLUE, LIMIT);
	printf("%d %d %d %d\n", sizeof (struct point), sizeof (union num), sizeof (struct flags), offsetof(struct point, y));
	printf("%d %d\n", sizeof (u64_t), sizeof p);
	c = BLUE;
	printf("%d\n", c == BLUE);
	exit(0);
}

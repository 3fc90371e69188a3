int x;
int x;
string s;
self int y;
int a[5];
int b[0];
int c = 3;
struct point { int x; int y; };
struct point { int z; };
struct nothing;
struct nothing n;
long long long z;
extern int k;
enum e { A = 1, B = A + 1 };
enum e2 { A };
struct bits { int f : 40; };
void v;
BEGIN
{
	x = "hello";
	s = 1;
	a[5] = 1;
	a[-1] = 2;
	p = (struct point)1;
	q = (int)"12";
	int local;
}
BEGIN { self->y = "str"; A = 3; }
BEGIN { str = "a"; str++; }

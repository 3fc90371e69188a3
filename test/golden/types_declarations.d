// quiet
int x;
self int y;
this string s;
int a[5];
uint8_t small;
int counts[string];

BEGIN
{
	x = 41; x++;
	self->y = 3;
	this->s = "local";
	a[0] = 10; a[4] = 40;
	small = 255; small++;
	counts["a"] += 2;
	printf("%d %d %s %d %d %d %d %d\n", x, self->y, this->s, a[0], a[4], a[2], small, counts["a"]);
}
BEGIN
{
	i = 5;
	a[i] = 1;
	printf("not reached\n");
}
ERROR { printf("the index fault went to ERROR\n"); }
BEGIN { exit(0); }

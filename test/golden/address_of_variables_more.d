// quiet
/*
 * Arrays of structs, structs with arrays and nested structs: every part of a global whose
 * address is taken is in memory at C's offsets; whole values copy in and out; a pointer kept
 * in a variable reads in a later clause; an index outside a D array is a fault, and so is an
 * address past the variables' memory.
 */
struct point { int x; int y; };
struct shape { struct point pts[3]; short id; char tag[4]; };
struct shape sh;
struct point corner;
int *p;
short *ids;
int v[4];

BEGIN
{
	p = &sh.pts[1].y;
	*p = 5;
	p[-1] = 4;
	sh.pts[2] = sh.pts[1];
	ids = &sh.id;
	*ids = -2;
	this->t = &sh.tag[0];
	this->t[0] = 'o';
	this->t[1] = 'k';
	corner = sh.pts[2];
	this->c = &corner.y;
	printf("%d %d %d %d %d %s %d %d\n", sh.pts[1].x, sh.pts[1].y, sh.pts[2].x, sh.pts[2].y, sh.id, stringof(this->t), corner.x, *this->c);
	printf("%d %d %d\n", (char *)&sh.id - (char *)&sh.pts[0], &sh.pts[2] - &sh.pts[0], sizeof (sh));
	v[1] = 10;
	this->w = &v[1];
	this->w[2] = 30;
	v[0]++;
	v[1] += 5;
}

fn:app:add:entry
/arg0 == 1/
{
	printf("%d %d %d %d %d\n", *p, v[0], v[1], v[3], *(&v[0] + 3));
}

fn:app:add:entry
/arg0 == 2/
{
	v[arg0 + 5] = 1;
}

fn:app:add:entry
/arg0 == 3/
{
	this->w = &v[3];
	trace(this->w[50000]);
}

ERROR { printf("ERROR %s: %s\n", arg4, arg5); }
END { exit(0); }

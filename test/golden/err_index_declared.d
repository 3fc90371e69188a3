/* A declared scalar or struct is not an array: indexing it, to read or to write, is refused. A string reads a character. */
struct point { int x; int y; };
struct point s;
int n;
string str;

BEGIN
{
	s[0] = -1;
	n[1] = 2;
	x = n[0];
	y = s[1];
	str[0] = 1;
	z = str[0];
	exit(0);
}

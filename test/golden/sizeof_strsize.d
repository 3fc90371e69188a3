// quiet
/*
 * The string type is `char [strsize]`: DTrace's dt_opt_strsize resizes it when the option is
 * set, so sizeof (string), sizeof of any string, and the layout of a struct with a string
 * member follow `-x strsize` or the pragma.
 */
#pragma D option strsize=16
struct r {
	string name;
	int n;
};
struct r g;
BEGIN
{
	g.n = 7;
	printf("%d %d %d %d\n", sizeof (string), sizeof (struct r), sizeof (g.name), offsetof(struct r, n));
	printf("%d\n", g.n);
	exit(0);
}

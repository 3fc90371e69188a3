// quiet
BEGIN
{
	s = "foobarbazbop";
	/* substr: negative index counts from the end; a negative count leaves characters off */
	printf("[%s][%s][%s][%s]\n", substr(s, -3), substr(s, 3, -4), substr(s, -10, -5), substr(s, 300));
	printf("[%s][%s][%s][%s]\n", substr(s, -24, 13), substr(s, -24, 12), substr(s, 8, 20), substr(s, 3, -20));
	/* index and rindex with a start, as Perl's */
	printf("%d %d %d %d\n", index(s, "ba", -5), index(s, "ba", 4), index(s, "", 100), index(s, "zz"));
	printf("%d %d %d %d\n", rindex(s, "ba", -1), rindex(s, "ba", 5), rindex(s, "", 100), rindex(s, "", -1));
	/* lltostr: base 10 is signed, base 16 has 0x, base 8 a leading 0 */
	printf("%s %s %s %s %s %s\n", lltostr(-42), lltostr(255, 16), lltostr(0, 16), lltostr(8, 8), lltostr(-1, 16), lltostr(5, 2));
	/* s[i]: a character; 0 past the end */
	printf("%c%c%c %d %d\n", s[0], s[3], s[11], s[12], s[100]);
	/* cleanpath: lexical */
	printf("%s %s %s %s\n", cleanpath("/usr/./lib//node/../bin/"), cleanpath("/a/.."), cleanpath("a/b/.."), cleanpath("/../etc"));
	exit(0);
}

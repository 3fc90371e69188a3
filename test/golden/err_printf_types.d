/* printf's arguments are checked against each conversion, as DTrace's printf prototypes are. */
BEGIN { printf("%d\n", "five"); printf("%s\n", 5); printf("%x %c\n", "a", "b"); }
BEGIN { printf("%*d\n", "w", 1); printf("%.*s\n", 2, 3); printf("%f\n", "pi"); }
BEGIN { s = "str"; n = 1; printf("%u %s %d %s\n", s, n, n, s); }
fn:app:greet:entry { printf("%s %d %s\n", arg0, arg0, probefunc); }

/* %Y and %T take a time in nanoseconds, %a and %A an address: a string is refused. */
BEGIN { printf("%Y %T\n", "now", "then"); printf("%a %A\n", "sym", probefunc); }

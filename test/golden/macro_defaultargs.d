// quiet
// args: ["41"]
/* defaultargs: a $N whose argument was not given is 0, and $$N is "", instead of D2009. */
#pragma D option defaultargs
BEGIN { printf("%d %d [%s] [%s] %d\n", $1 + 1, $2, $$2, $$3, $#); }
fn:app:greet$2:entry /arg0 == "node"/ { printf("%s(%s)\n", probefunc, arg0); }

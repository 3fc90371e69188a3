// quiet
// Side effects in a predicate happen once per firing, before the body, as in DTrace.
// `k -= 1` reads k, which DTrace refuses before a declaration or assignment (D4129).
int k;
fn:app:add:entry /n++ < 3/ { printf("post %d\n", n); }
fn:app:add:entry /++m < 3/ { printf("pre %d\n", m); }
fn:app:add:entry /(k -= 1) < -8/ { printf("assign %d\n", k); }
fn:app:add:entry /d-- > 8 - 10/ { printf("dec %d\n", d); }
fn:app:add:entry /(self->s++) == 9/ { printf("self %d\n", self->s); }
fn:app:add:entry /(c[probefunc]++) == 9/ { printf("array %d\n", c[probefunc]); }
END { printf("%d %d %d %d %d\n", n, m, k, d, c["add"]); }

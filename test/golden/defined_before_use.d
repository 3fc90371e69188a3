// quiet
/*
 * Reads D accepts although no earlier clause assigns the variable: DTrace cooks each clause's
 * actions before its predicate, and the predicate first when the actions read a variable not
 * yet made (dt_cook_clause); `++`, `--` and a unary operator's operand make one unchecked
 * (dt_cook_op1); a declaration makes one before any clause.
 */
int declared;
BEGIN { n++; }
fn:app:add:entry /seen == 0/ { seen = 1; first = arg0; }
fn:app:add:entry /!self->armed/ { self->armed = 1; printf("armed %d\n", declared); }
fn:app:add:entry { c[probefunc]++; }
fn:app:add:entry /this->v++ == 0 && arg0 == 9/ { printf("this->v %d\n", this->v); }
fn:app:add:entry { x = -x; y = !y; }
END { printf("%d %d %d %d %d %d\n", n, seen, first, c["add"], x, y); }

/* Clauses bound by shm or message keep their own globals and this-> variables: a read of one another clause writes is refused. */
#pragma binding shm
fn:::entry { this->t = arg0; n++; last = arg0; }
fn:::entry /this->t > 0/ { @[last] = count(); }
fn:::return { this->t = 1; @r = sum(this->t); total = arg0; }
#pragma binding direct
fn:::return { printf("%d %d\n", n, total); }
fn:::entry { seen = 1; @d = count(); }

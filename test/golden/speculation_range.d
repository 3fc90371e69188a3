// quiet
/* An id above nspec is an illegal operation, as in DTrace. */
fn:app:add:entry /arg0 == 0/ { speculate(2); printf("not printed\n"); }
fn:app:add:entry /arg0 == 1/ { commit(5); }
fn:app:add:entry /arg0 == 2/ { discard(-1); }

// quiet
/* speculate(0) (a failed speculation()) records nowhere, without a count; commit(0) and discard(0) do nothing. */
fn:app:add:entry /arg0 == 0/ { s = speculation(); t = speculation(); speculate(t); printf("dropped %d\n", t); }
fn:app:add:entry /arg0 == 1/ { commit(0); }
fn:app:add:entry /arg0 == 1/ { discard(0); }
fn:app:add:entry /arg0 == 1/ { commit(s); }
fn:app:add:entry /arg0 == 1/ { printf("s=%d\n", s); }

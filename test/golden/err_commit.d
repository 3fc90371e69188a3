/* DTrace's order rules for commit() and speculate() within one clause. */
fn:app:add:entry { commit(1); commit(1); }
fn:app:add:entry { printf("x\n"); commit(1); }
fn:app:add:entry { commit(1); printf("x\n"); @a = count(); }
fn:app:add:entry { speculate(1); speculate(1); }
fn:app:add:entry { commit(1); speculate(1); }
fn:app:add:entry { commit("spec"); discard(@a); }

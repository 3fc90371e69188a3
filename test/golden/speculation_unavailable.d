// quiet
fn:app:add:entry { a = speculation(); b = speculation(); speculate(a); printf("in %d\n", arg0); }
fn:app:add:return { discard(a); }

// quiet
fn:app:add:entry /arg0 < 3/ { printf("%d %s %d\n", (int)arg1, arg0 > 0 ? "pos" : "zero", (arg0 + 1) * 2); }

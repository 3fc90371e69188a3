// quiet
/* exit(N) in END overrides the status an earlier exit() gave: DTrace keeps the last exit record. */
fn:app:add:entry /arg0 == 3/ { exit(3); }
END { printf("end\n"); exit(7); }

// quiet
fn:app:add:entry { printf("%d\n", arg0); }
fn:app:add:entry /arg0 == 3/ { exit(0); }
fn:app:greet:entry { printf("never\n"); }
END { printf("end\n"); }

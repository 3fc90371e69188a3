// quiet
fn:app:add:entry /arg0 > 6/ { printf("big %d\n", arg0); }
fn:app:add:entry /arg0 == 2 || arg0 == 3 && arg1 == 6/ { printf("pick %d %d\n", arg0, arg1); }
fn:app:greet:entry /arg0 == "node"/ { printf("node!\n"); }
fn:app:greet:entry /!(arg0 != "world")/ { printf("world!\n"); }

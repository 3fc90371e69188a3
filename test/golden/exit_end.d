// quiet
fn:app:add:entry /arg0 == 3/ { printf("stopping\n"); exit(3); }
END { printf("end ran\n"); }

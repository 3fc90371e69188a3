// quiet
/* exit() in BEGIN stops the BEGIN clauses after it; END still runs (DTrace). */
BEGIN { printf("first\n"); exit(2); printf("rest of the clause\n"); }
BEGIN { printf("second BEGIN must not run\n"); }
END { printf("end\n"); }

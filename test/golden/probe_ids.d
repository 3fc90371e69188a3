// quiet
/* The dtrace provider's probes have DTrace's ids: BEGIN 1, END 2, ERROR 3; other probes come after. */
BEGIN { printf("BEGIN %d\n", id); }
BEGIN { x = *(int *)0; }
ERROR { printf("ERROR %d\n", id); }
fn:app:add:entry /!seen/ { seen = 1; printf("add:entry after ERROR: %d\n", id > 3); }
tick-1ms /seen/ { printf("tick-1ms after ERROR: %d\n", id > 3); exit(0); }
END { printf("END %d\n", id); }

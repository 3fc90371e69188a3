// quiet
/* Integer keys print as wide as their D type, as DTrace's dt_print_datum does: 32-bit built-ins (pid, tid, cpu, id…) and int constants in 8 columns, 64-bit values (arg0) in 16, strings left-aligned in 50. */
fn:app:add:entry /arg0 < 2/ { @a[cpu, arg0, probefunc] = count(); @b[7] = count(); }
END { printa(@a); printa(@b); }

/* A clause with no action block at the end of the program: DTrace's default action, one line per firing under a CPU/ID/FUNCTION:NAME header. */
fn:app:greet:entry

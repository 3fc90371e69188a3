// quiet
// Quiet mode: the default action prints nothing, as dtrace -q does.
fn:app:add:entry { @ = count(); }
END { printa("adds %@d\n", @); }
fn:app:greet:entry

// quiet
fn:app:greet:entry, fn:app:handle:entry { @[probefunc] = count(); }
END { printa("%s %@d\n", @); }

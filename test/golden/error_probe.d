// quiet
fn:app:add:entry { x = 10 / (arg0 - arg0); }
ERROR { @faults[arg4] = count(); }
END { printa("%s %@d\n", @faults); }

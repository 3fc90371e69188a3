fn:app::entry { @calls[probemod, probefunc] = count(); }
fn:app:add:entry { @parity[arg0 % 2 == 0 ? "even" : "odd"] = sum(arg1); }

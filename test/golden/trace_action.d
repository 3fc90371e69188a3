fn:app:greet:entry { trace(arg0); }
fn:app:add:entry /arg0 == 9/ { trace(arg0 * 2); }

// quiet
fn:app:add:entry /arg0 == 1/ { x = json("not json", "a"); }

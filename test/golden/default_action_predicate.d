// Several descriptions and a predicate, no action block; BEGIN prints after the header.
BEGIN { printf("start\n"); }
fn:app:add:entry, fn:app:greet:return /probefunc == "greet" || arg0 > 7/

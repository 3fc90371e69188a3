// json
BEGIN { printf("hello %d\n", 1); }
fn:app:add:entry { @s[probefunc] = sum(arg0); @q = quantize(arg0); }

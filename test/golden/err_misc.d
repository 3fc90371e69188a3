myhelper(x) { return x + 1; }
BEGIN { x = count(); y = quantize(1); }

fn:::entry { @a = count(); @a = sum(arg0); @b[probefunc] = count(); @b[probefunc, arg0] = count(); }
fn:::entry { @c = lquantize(arg0, x, 10); @d = quantize(); @e = lquantize(arg0, 10, 0, 1); }
END { printa(@missing); clear(1); trunc(@a, "x"); }

/*
 * aggpack: quantize() and lquantize() one line per key, a character per bucket, under one
 * header per aggregation (ASCII here: the golden cases run as on TERM=dumb).
 */
#pragma D option aggpack
fn:app:add:entry { @q[probefunc] = quantize(arg0); @l = lquantize(arg0, 0, 10, 2); @c[arg0 % 2] = quantize(arg1 - 5); }
fn:app:greet:entry { @q[probefunc] = quantize(strlen(arg0)); }

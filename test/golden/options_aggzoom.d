// quiet
/* aggzoom scales each bar to the largest bucket (which fills it) instead of the total. */
#pragma D option aggzoom
fn:app:add:entry { @q = quantize(arg0); @l = lquantize(arg0, 0, 10, 5); }

// quiet
/*
 * encoding=utf8 draws quantize, lquantize and llquantize bars in eighths of a block (U+2588
 * down to U+258F) and packed buckets in U+2581…U+2588 even on TERM=dumb; a histogram with
 * negative counts keeps its '@' bars, as in DTrace. encoding=ascii draws '@' and "_xX".
 */
#pragma D option encoding=utf8
fn:app:add:entry
{
	@q = quantize(arg0);
	@ll = llquantize(arg0, 10, 0, 1, 10);
	@n = lquantize(arg0, 0, 10, 3, arg0 < 4 ? -1 : 1);
	@p[probefunc] = quantize(arg0);
}
fn:app:add:entry
/arg0 < 7/
{
	@l = lquantize(arg0, 0, 10, 3);
}
END
{
	printa(@q);
	printa(@l);
	printa(@ll);
	printa(@n);
	printa("%@d\n", @l);
	setopt("encoding", "ascii");
	printa(@q);
	setopt("aggpack");
	printa(@p);
	setopt("encoding", "utf8");
	printa(@p);
}

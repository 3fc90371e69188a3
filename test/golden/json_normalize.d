// json
// normalize() divides what -f json prints as it divides the text tables, histograms included.
fn:app:add:entry { @q = quantize(arg0); @l = lquantize(arg0, 0, 10, 5); @s = sum(arg0); }
END { normalize(@q, 2); normalize(@l, 2); normalize(@s, 5); printa(@q); }

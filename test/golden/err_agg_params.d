/* One aggregation's parameters must match between its uses. */
fn:app:add:entry { @l = lquantize(arg0, 0, 10, 1); @q = llquantize(arg0, 10, 0, 3, 10); }
fn:app:add:return { @l = lquantize(arg0, 0, 10); @l = lquantize(arg0, 0, 20); }
fn:app:add:return { @q = llquantize(arg0, 10, 0, 4, 10); }

fn:app:add:entry { @ = llquantize(arg0 * arg0 * 10, 10, 0, 3, 10); }

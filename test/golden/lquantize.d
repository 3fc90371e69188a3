fn:app:add:entry { @ = lquantize(arg1, 0, 20, 5); }

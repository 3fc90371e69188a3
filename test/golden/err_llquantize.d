BEGIN { @a = llquantize(1, 1, 0, 2, 10); @b = llquantize(1, 10, 3, 2, 10); @c = llquantize(1, 10, 0, 2, 15); }
BEGIN { @d = llquantize(1, 10, 0, 2, 3); @e = llquantize(1, 10, 0, 2, 40); @f = llquantize(1, 10, 2, 4, 300); }
BEGIN { @g = llquantize(1, 10, 0, 19, 10); @h = llquantize(1, 10, -1, 2, 10); @i = llquantize(1, 70000, 0, 1, 70000); }
BEGIN { @j = llquantize(1, 10, 0, 2, 0); @k = llquantize(1, 10, 0, n, 10); }

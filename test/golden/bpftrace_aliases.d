fn:app:add:entry { @h = hist(arg0); @l = lhist(arg0, 0, 10, 2); @st = stats(arg1); }

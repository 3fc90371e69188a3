// quiet
fn:app:add:entry { @sum = sum(arg0); @avg[probefunc] = avg(arg1); }
END { print(@sum); printf("---"); printa(@avg); }

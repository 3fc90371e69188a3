// quiet
fn:app::entry { @n[probefunc] = count(); @t[probefunc] = sum(1); }
END { printa("%-10s %@d calls\n", @n); printa("%s: %@d/%@d\n", @n, @t); }

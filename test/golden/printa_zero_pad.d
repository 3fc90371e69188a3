// quiet
// printa() honours every printf flag on %@: zero padding, left alignment, sign.
fn:app::entry { @n[probefunc] = count(); @s[probefunc] = sum(arg0 - 1); }
END { printa("%-8s|%@08d|%@-6d|%@+d|\n", @n, @n, @s); printa("%s %@x %@5d\n", @n, @s); }

fn:app::entry { @n[probefunc] = count(); }
END { printa(@n); }

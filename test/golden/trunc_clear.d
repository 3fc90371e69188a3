fn:app::entry { @top[probefunc] = count(); @gone[probefunc] = count(); @zero[probefunc] = count(); }
END { trunc(@top, 2); trunc(@gone); clear(@zero); }

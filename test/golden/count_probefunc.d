fn:::entry { @[probefunc] = count(); }

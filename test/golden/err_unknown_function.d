fn:::entry { @[probefunc] = cuont(); }
fn:::entry { printf("%s\n", tolowr(probefunc)); }

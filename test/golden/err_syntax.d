fn:::entry { x = ; y = 1 }
fn:::return { @a[probefunc = count(); }
BEGIN { printf("ok\n") }
END { z = (1 + ; }

BEGIN { fmtvar = "x"; printf("%d %d\n", 1); printf("%q\n", 1); printf(fmtvar); printf("%@d\n", 1); }

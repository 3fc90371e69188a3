fn:::entry { printf("x\n"); speculate(1); }
fn:::entry { speculate(1); @a = count(); exit(0); }

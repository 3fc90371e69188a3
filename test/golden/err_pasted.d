BEGIN { x = 1 – 2; }
BEGIN { printf(“hi”); }
BEGIN​{ exit(0); }
BEGIN { y = 😀; }

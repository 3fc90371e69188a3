BEGIN { x = 1.5e; y = 3.14; exit(0); }

BEGIN { timestamp = 1; 1 = 2; x + 1 = 3; probefunc++; }

BEGIN { x = "unterminated; }
BEGIN { y = 0x; z = 'ab'; }
BEGIN { w = 1 $ 2; v = "\q"; }
/* never closed

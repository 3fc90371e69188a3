tick-3parsecs { x = 1; }
a:b:c:d:e { y = 1; }
{ z = 1; }

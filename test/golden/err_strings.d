BEGIN { x = strtok(1, ":"); y = strtok("a:b"); s = "abc"; z = s == 0; }
BEGIN { tracemem("abc"); bcopy("a", 0); inet_ntop(2); w = cleanpath(3); }

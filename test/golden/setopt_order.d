// quiet
/* setopt() applies from where it runs: the printa() before it keeps the old order. */
BEGIN { @a["x"] = sum(1); @a["y"] = sum(2); printa(@a); setopt("aggsortrev"); printa(@a); exit(0); }

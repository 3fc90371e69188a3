fn:app:add:entry { @s = sum(arg0 * 1000); }
END { normalize(@s, 1000); printa(@s); denormalize(@s); printa(@s); }

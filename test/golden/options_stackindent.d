// quiet
/* stackindent: the spaces before each frame stack() and ustack() print (14 by default, as DTrace's). */
fn:app:add:entry /arg0 == 0/
{
	printf("%d %d\n", index(stack(1), "              "), index(stack(1), "               "));
	setopt("stackindent", "4");
	printf("%d %d %d\n", index(ustack(1), "\n    "), index(ustack(1), "     "), strlen(stack(1)) < strlen(ustack(2)));
	setopt("stackindent", "0");
	printf("%d\n", index(stack(1), "\n "));
}

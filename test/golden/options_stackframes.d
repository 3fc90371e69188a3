// quiet
/* stack() and ustack() without a depth print stackframes and ustackframes frames (20 by default). */
#pragma D option statusrate=10hz
#pragma D option switchrate=100
fn:app:add:entry /arg0 == 0/
{
	a = stack() == stack(1);
	setopt("stackframes", "1");
	printf("%d %d %d\n", a, stack() == stack(1), ustack() == ustack(1));
}

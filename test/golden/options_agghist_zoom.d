// quiet
/*
 * agghist with aggzoom: the largest value fills 95% of the bar, after DTrace truncates it
 * to an integer (so a largest count of 10 still fills it); with encoding=utf8 the bars are block
 * elements; printa() prints the same layout; normalize() divides the counts but not the bars;
 * a printa() with a format, and aggpack on a count(), print as without agghist.
 */
#pragma D option agghist
#pragma D option aggzoom
#pragma D option encoding=utf8
fn:app::entry { @calls[probefunc] = count(); @bytes[probefunc] = sum(100); }
END
{
	printa(@calls);
	printa(@bytes);
	printa("%-8s %@d\n", @calls);
	normalize(@calls, 2);
	setopt("agghist", "off");
	setopt("aggpack");
	printa(@calls);
	setopt("agghist");
	printa(@calls);
}

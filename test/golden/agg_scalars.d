/* count, sum, avg, min, max, stddev over the same values */
fn:app:add:entry
{
	@c = count();
	@s = sum(arg0);
	@a = avg(arg0);
	@mn = min(arg0);
	@mx = max(arg0);
	@sd = stddev(arg0);
}

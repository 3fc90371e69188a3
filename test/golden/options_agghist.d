/*
 * agghist: count() and sum() print as distributions of their keys, each bar the key's share of
 * the aggregation's total, under one "key ... count" header (a keyless one under "value"); a
 * sum with negative values draws them to the left, with both signs around a centre line.
 * Other functions print as without it.
 */
#pragma D option agghist
fn:app::entry { @calls[probefunc] = count(); @all = count(); }
fn:app:add:entry
{
	@neg[arg0 % 3] = sum(arg0 - 6);
	@mixed[arg0 < 5] = sum(arg0 - 4);
	@pair[probefunc, arg0 % 2] = sum(arg0);
	@top = max(arg0);
	@q = quantize(arg0);
}

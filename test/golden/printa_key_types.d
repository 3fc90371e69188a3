// quiet
/*
 * Every integer key prints as wide as its D type's size, as DTrace's dt_print_datum does
 * (" %3d" char, " %5d" short, " %8d" 4 bytes, " %16lld" 8 bytes), with its C conversion: a
 * char or short key reads back unsigned, a 4-byte one as int, an 8-byte one as long long.
 * A comparison, `!`, `&&` and an enum are int; strlen() is size_t; a string is "  %-50s".
 */
enum colour { RED, GREEN = 7 };

fn:app:add:entry
/arg0 == 1/
{
	@cmp[arg0 == 1, arg0 > 3] = count();
	@logic[!arg0, arg0 && 1, arg0 || 0, arg0 ^^ 1] = count();
	@narrow[(char)-1, (short)-2, (char)65, (short)300] = count();
	@unsigned32[(uint32_t)-1, (int)-3, (unsigned)7] = count();
	@wide[(uint64_t)-1, (long)-4, arg0, strlen(probefunc)] = count();
	@en[GREEN] = count();
	@str[probefunc, arg0 != 0] = count();
}

END
{
	printa(@cmp);
	printa(@logic);
	printa(@narrow);
	printa(@unsigned32);
	printa(@wide);
	printa(@en);
	printa(@str);
	setopt("aggpack");
	@pk[(short)-1, arg0 == 0] = quantize(3);
	printa(@pk);
}

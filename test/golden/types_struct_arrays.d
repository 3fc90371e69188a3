// quiet
/* The guide's rwinfo.d (Structs and Unions), on the fixture's add() instead of read/write. */
struct callinfo {
	uint64_t ts;      /* timestamp of last call entry */
	uint64_t elapsed; /* total elapsed time in nanoseconds */
	uint64_t calls;   /* number of calls made */
	size_t maxbytes;  /* maximum byte count argument */
};

struct callinfo i[string];	/* declare i as an associative array */

fn:app:add:entry
{
	i[probefunc].ts = timestamp;
	i[probefunc].calls++;
	i[probefunc].maxbytes = arg1 > i[probefunc].maxbytes ? arg1 : i[probefunc].maxbytes;
}

fn:app:add:return
/i[probefunc].ts != 0/
{
	i[probefunc].elapsed += timestamp - i[probefunc].ts;
}

END
{
	printf("        calls  max bytes  timed\n");
	printf("  add %7d %10d %6d\n", i["add"].calls, i["add"].maxbytes, i["add"].elapsed > 0);
}

// quiet
/*
 * Thread-local associative arrays, as the guide's "Thread-Local Variables" has them
 * (`self->a[123, 'a'] = 456;`), undeclared or declared (`self T name[key types];`): each
 * context has its own elements, which follow it across `await` as any self-> variable does;
 * storing 0 frees an element, and an unset one reads as 0 or a zeroed struct.
 */
struct callinfo {
	uint64_t ts;
	uint64_t calls;
};

self struct callinfo info[string];
/* `+=` reads the element: DTrace refuses it before the array is declared or assigned (D4129). */
self int parity[string];

BEGIN
{
	self->a[123, 'a'] = 456;
	self->a[1, 'b'] += 2;
	self->a[1, 'b']++;
	printf("%d %d %d\n", self->a[123, 'a'], self->a[1, 'b'], self->a[2, 'c']);
	self->a[123, 'a'] = 0;
	printf("freed: %d\n", self->a[123, 'a']);
}

fn:app:add:entry
{
	self->info[probefunc].ts = timestamp;
	self->info[probefunc].calls++;
	self->parity[arg0 % 2 ? "odd" : "even"] += arg0;
}

fn:app:add:entry
/arg0 == 9/
{
	printf("add: %d calls, timed %d, even %d, odd %d, none %d\n", self->info["add"].calls, self->info["add"].ts != 0,
	    self->parity["even"], self->parity["odd"], self->info["none"].calls);
}

fn:app:wait:entry
{
	self->w[arg0] = arg0 * 10;
}

fn:app:wait:return
{
	/* Concurrent calls: each sees its own element, and none of another's. */
	printf("wait(%d): %d, others %d %d\n", arg0, self->w[arg0], self->w[arg0 % 3 + 1], self->w[(arg0 + 1) % 3 + 1]);
}

// quiet
/*
 * Quiet, trace() prints the same conversions without the widths ("%d", "%lld"), while the
 * value itself is the type's: printf("%u") of (uint32_t)-1 is 4294967295, and arithmetic on
 * (short)-1 sees -1.
 */
BEGIN
{
	trace((char)-1); printf(" ");
	trace((short)-1); printf(" ");
	trace((int)-1); printf(" ");
	trace((uint32_t)-1); printf(" ");
	trace((long)-1); printf(" ");
	trace((uint64_t)-1); printf("\n");
	printf("%d %d %u %d %u\n", (char)-1, (short)-1, (uint32_t)-1, (short)-1 + 1, (uint64_t)-1);
	this->s = (short)-1;
	trace(this->s); printf(" ");
	trace(this->s + 0); printf("\n");
	exit(0);
}

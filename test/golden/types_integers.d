// quiet
BEGIN
{
	printf("%d %u %d\n", (uint32_t)-1, (uint32_t)-1, (int32_t)4294967295);
	printf("%d %d %d %d\n", (char)300, (unsigned char)300, (short)70000, (uint16_t)-1);
	printf("%d %d\n", (uint64_t)-1, (int64_t)18446744073709551615);
	printf("%x %x %o %u\n", -1, (char)-1, (short)-1, (long)-1);
	printf("%d %d\n", 2147483647 + 1, 2147483647L + 1);
	u = (uint64_t)18446744073709551615;
	printf("%d %d %d\n", u + 2, u * 2, u / 3);
	printf("%d\n", (uint64_t)1 - 2);
	trace((uint32_t)-1);
	printf("\n%d %d\n", sizeof (int), sizeof (long long));
	exit(0);
}

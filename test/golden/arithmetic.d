// quiet
BEGIN
{
	printf("%d %d %d %d %d\n", 7 + 3, 7 - 10, 7 * 6, 7 / 2, -7 / 2);
	printf("%d %d %d %d %d %d\n", 7 % 3, -7 % 3, 6 & 3, 6 | 3, 6 ^ 3, ~0);
	printf("%d %d %d\n", 1 << 10, 1024 >> 3, 1 << 62);
	printf("%d %d %d %d\n", 9007199254740993 + 1, 4611686018427387904 * 2, 0x7fffffffffffffff + 1, 0xff);
	printf("%d %d %d %d %d\n", 3 > 2, 3 < 2, 2 >= 2, 1 ^^ 1, !0);
	printf("%d %d\n", 010, 'A');
	x = 5; x++; ++x; x--; x *= 3; x -= 1; x /= 2; x <<= 2; x |= 1;
	printf("x=%d\n", x);
	printf("%s\n", 1 ? "yes" : "no");
	exit(0);
}

// quiet
/* %Y and %T print nanoseconds since the epoch as DTrace does (local time; the cases run in UTC); %a and %A print a symbol, here an address in hex. */
BEGIN
{
	printf("[%Y] [%T]\n", 0, 0);
	printf("[%Y] [%T]\n", 1700000000123456789, 1700000000123456789);
	printf("[%-22Y] [%24Y] [%.4Y]\n", 86400000000000, 86400000000000, 86400000000000);
	printf("[%T]\n", 1609459200000000000);
	printf("[%a] [%A] [%-8a] [%8A]\n", 4096, 0xdeadbeef, 16, 255);
	exit(0);
}

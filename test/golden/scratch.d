// quiet
BEGIN
{
	/* alloca, bcopy and copyinto on scratch; pointer arithmetic within it */
	this->buf = (char *)alloca(16);
	bcopy("microScope", this->buf, 11);
	printf("%s %s\n", stringof(this->buf), stringof(this->buf + 5));
	copyinto("abc", 3, this->buf + 8);
	tracemem(this->buf, 16);
	tracemem(this->buf, 16, 5);
	/* network addresses read from scratch */
	this->v4 = alloca(4);
	bcopy("\xc0\xa8\x01\x17", this->v4, 4);
	this->v6 = alloca(16);
	bcopy("\xfe\x80\0\0\0\0\0\0\x02\x14\x4f\xff\xfe\x0b\x76\xc8", this->v6, 16);
	printf("%s %s\n", inet_ntoa(this->v4), inet_ntop(AF_INET, this->v4));
	printf("%s %s\n", inet_ntoa6(this->v6), inet_ntop(AF_INET6, this->v6));
	bcopy("\0\0\0\0\0\0\0\0\0\0\xff\xff\x7f\0\0\x01", this->v6, 16);
	printf("%s\n", inet_ntoa6(this->v6));
	bcopy("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", this->v6, 16);
	printf("%s\n", inet_ntoa6(this->v6));
	exit(0);
}

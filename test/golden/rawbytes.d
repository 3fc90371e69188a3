// quiet
#pragma D option rawbytes
#pragma D option strsize=24
BEGIN
{
	trace("hello, rawbytes");
	exit(0);
}

/* A struct in memory is read and written whole, unless its type is incomplete (its size is unknown). */
struct nothing;
struct nothing *p;
BEGIN
{
	p = (struct nothing *)alloca(8);
	x = *p;
}

/*
 * DTrace's dt_node_decl refuses an associative array declared as a clause-local
 * (D_DECL_LOCASSC, "associative arrays may not be declared as local variables"), at the
 * declaration; a fixed-size this-> array is accepted. A self-> associative array, which DTrace
 * has, is not supported here: declared (D4117) or only indexed (D4128).
 */
this int ok[2];
this int counts[int];
this string names[string, int];
self int bytes[string];
BEGIN
{
	this->ok[1] = 1;
	self->seen[probefunc, 1] = 1;
	x = self->seen["a", 2];
	this->tmp[0] = 2;
	self->p = (int *)alloca(8);
	self->p[1] = 3;
}

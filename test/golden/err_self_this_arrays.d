/*
 * DTrace's dt_node_decl refuses an associative array declared as a clause-local
 * (D_DECL_LOCASSC, "associative arrays may not be declared as local variables"), at the
 * declaration; a fixed-size this-> array and a self-> associative array are accepted.
 * Indexing a self-> or this-> variable that nothing assigns or declares is D4128; one that
 * is also assigned whole is indexed as its value is, and a self-> associative array is not
 * a scalar (D3016).
 */
this int ok[2];
this int counts[int];
this string names[string, int];
self int bytes[string];
BEGIN
{
	this->ok[1] = 1;
	this->ok++;
	self->bytes["a"] = 1;
	self->bytes["a", 1] = 2;
	x = self->unset["a", 2];
	this->tmp[0] = 2;
	self->p = (int *)alloca(8);
	self->p[1] = 3;
	self->seen[probefunc] = 1;
	y = self->seen;
	self->n = 1;
	self->n[0] = 2;
}

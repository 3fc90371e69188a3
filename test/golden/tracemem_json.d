// json
BEGIN
{
	this->p = alloca(4);
	bcopy("ab", this->p, 2);
	tracemem(this->p, 4);
	exit(0);
}

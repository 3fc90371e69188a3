/* A struct in memory is read and written whole unless it holds what memory does not (a string). */
struct req { string path; int status; };
BEGIN
{
	this->r = (struct req *)alloca(sizeof (struct req));
	this->r->status = 200;
	x = *this->r;
	y = this->r->status;
}

// quiet
fn:app:handle:entry
{
	this->req = args[0];
	printf("%s %s -> %d host=%s ct=%s missing=[%s] %d secret=[%s]\n", this->req.method, this->req.url,
	    this->req.status, this->req.headers.host, this->req.headers["content-type"], this->req.nothing,
	    this->req.nothing, this->req.secret);
}

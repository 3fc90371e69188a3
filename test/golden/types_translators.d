// quiet
struct req_info { string url; string method; int ok; };
translator struct req_info < struct request *r > {
	url = r->url;
	method = r->method;
	ok = r->status < 400;
};

fn:app:handle:entry
{
	printf("%s %s %d\n", xlate <struct req_info> (arg0).method, xlate <struct req_info> (arg0).url, xlate <struct req_info> (arg0).ok);
}

// quiet
fn:app:greet:entry /arg0 == "node"/
{
	printf("%s:%s:%s:%s\n", probeprov, probemod, probefunc, probename);
	printf("pid ok=%d tid=%d execname=%s activity=%d\n", pid > 0, tid, execname, activity);
	printf("ts>0=%d wall>ts=%d vts>=0=%d\n", timestamp > 0, walltimestamp > timestamp, vtimestamp >= 0);
	printf("cwd set=%d uid>=0=%d\n", strlen(cwd) > 0, uid >= 0);
	printf("stack has frames=%d\n", strlen(stack()) > 0);
}
fn:app:fail:error { printf("error errno=%d errmsg=%s\n", errno, errmsg); }
fn:app:greet:return /arg0 == "world"/ { printf("return %s\n", retval); }

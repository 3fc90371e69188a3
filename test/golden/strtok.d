// quiet
BEGIN
{
	path = "/usr/local//bin:/usr/bin::/bin";
	printf("%s\n", strtok(path, ":"));
	printf("%s\n", strtok(NULL, ":"));
	/* the delimiters may change from call to call */
	printf("%s\n", strtok(NULL, "/"));
	printf("%s\n", strtok(NULL, ":"));
	printf("%d\n", strtok(NULL, ":") == NULL);
	printf("%d\n", strtok("", ":") == NULL);
}

BEGIN
/strtok(NULL, ":") == NULL/
{
	/* the string strtok goes on in is kept for one probe firing */
	printf("a new firing has no string to go on in\n");
	exit(0);
}

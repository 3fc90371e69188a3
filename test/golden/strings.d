// quiet
BEGIN
{
	s = "Hello, World";
	printf("%d|%s|%s|%s\n", strlen(s), strjoin(s, "!"), substr(s, 7), substr(s, 0, 5));
	printf("%d|%d|%s|%s\n", index(s, "o"), rindex(s, "o"), strstr(s, "Wor"), strstr(s, "xyz"));
	printf("%s|%s|%s|%s\n", tolower(s), toupper(s), lltostr(255), lltostr(255, 16));
	printf("%s|%s|%s|%s\n", basename("/usr/lib/node.js"), dirname("/usr/lib/node.js"), basename("x"), dirname("x"));
	printf("%s|%s|%s\n", json("{\"a\":{\"b\":[1,2,{\"c\":\"deep\"}]}}", "a.b[2].c"), json("{\"n\":42}", "n"), json("{}", "q"));
	printf("%d %d %d\n", "abc" < "abd", "b" > "abc", s == "Hello, World");
	printf("[%10s][%-10s][%.3s]\n", "right", "left", "truncate");
	exit(0);
}

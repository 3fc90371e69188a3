// quiet
BEGIN { total = 0; name = "none"; }
fn:app:add:entry { total += arg0; seen[probefunc, arg0 % 3]++; last = arg1; }
fn:app:greet:entry { name = arg0; hits[arg0]++; }
END {
	printf("total=%d last=%d name=%s\n", total, last, name);
	printf("seen add,0=%d add,1=%d add,2=%d other=%d\n", seen["add", 0], seen["add", 1], seen["add", 2], seen["x", 0]);
	printf("hits world=%d node=%d\n", hits["world"], hits["node"]);
	hits["world"] = 0;
	printf("after free: %d\n", hits["world"]);
}

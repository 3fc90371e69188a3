// quiet
/* mscope's own process values, as DTrace's are dtrace's; $target is 0 without a command */
BEGIN
{
	printf("%d %d %d %d %d\n", $pid == pid, $ppid == ppid, $uid == uid, $gid == gid, $cwd == cwd);
	printf("%s %d %d\n", $0, $target, $euid >= 0);
	exit(0);
}

#!/usr/sbin/dtrace -qs
/* block comment */
// line comment
fn:app:add:entry /arg0 == 0/ // trailing
{
	printf("zero\n"); /* inline */
}

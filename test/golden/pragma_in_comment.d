// quiet
/* A pragma inside a comment is a comment:
#pragma binding carrier-pigeon
#pragma binding shm
*/
fn:app:greet:return { @s[ustack(1) != ""] = count(); }

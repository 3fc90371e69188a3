// quiet
/* As dtrace(1M), -F prefixes lines even when quiet, and quiet still ends none with a newline. */
#pragma D option flowindent
fn:app:greet:entry { printf("%s\n", arg0); }
fn:app:greet:return { printf("%s\n", retval); }

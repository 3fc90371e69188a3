/* encoding takes ascii or utf8 and nothing else, not even bare, as DTrace's dt_opt_encoding. */
#pragma D option encoding=UTF-8
#pragma D option encoding
BEGIN { setopt("encoding", "latin1"); }

/*
 * flowindent (-F): each entry line prints -> and indents the lines after it, each return
 * line unindents and prints <-, any other probe prints | FUNCTION:NAME; fn's error ends a
 * call as a return does. A second clause's line of the same entry (or the line before
 * another clause's of the same return) keeps the indent, as DTrace's heuristic does.
 */
#pragma D option flowindent
BEGIN { trace("start"); }
fn:app:greet:entry, fn:app:wait:entry { trace(arg0); }
fn:app:greet:return, fn:app:wait:return { trace(retval); }
fn:app:fail:entry { trace("first"); }
fn:app:fail:entry { trace("second"); }
fn:app:fail:error { trace(errmsg); }
fn:app:handle:return { trace("one"); }
fn:app:handle:return /retval == 201/ { trace("two"); }
END { trace("end"); }

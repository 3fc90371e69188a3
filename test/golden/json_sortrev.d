// json
#pragma D option aggsortrev
fn:app:*:entry { @f[probefunc] = count(); }

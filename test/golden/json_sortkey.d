// json
#pragma D option aggsortkey
fn:app:*:entry { @f[probefunc] = count(); }

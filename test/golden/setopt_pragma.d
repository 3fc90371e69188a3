#pragma D option quiet
#pragma D option aggsortkey
fn:app::entry { @[probefunc] = count(); }
BEGIN { trace("quiet trace"); setopt("aggsortrev"); }

// setopt() takes the values -x and #pragma take: "on" sets a boolean option.
BEGIN { setopt("quiet", "on"); trace("a"); trace("b"); setopt("aggsortrev", "on"); }
fn:app::entry { @[probefunc] = count(); }

/*
 * A boolean option's value as DTrace's dt_opt_runtime reads it: any number sets it (quiet=0
 * included: no header lines below), yes/enable/enabled/true/on/set set it and
 * no/disable/disabled/false/off/unset clear it, in any case.
 */
#pragma D option quiet=0
#pragma D option aggsortkey=Yes
#pragma D option aggsortrev=yes
#pragma D option aggsortrev=OFF
fn:app::entry { @calls[probefunc] = count(); }

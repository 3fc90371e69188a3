/* Clauses bound to shm or message may only ask for what those bindings copy. */
#pragma binding shm
fn:::entry { @[args[0].name] = count(); }
fn:::return { @s[stack()] = count(); }
#pragma binding message
fn:::entry { self->ts = timestamp; }
fn:::return { @m[arg0] = count(); }
#pragma binding carrier-pigeon
BEGIN { exit(0); }

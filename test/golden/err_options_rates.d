/* Rates take a number with a unit (10hz, 50ms; a bare number is per second); options that mean nothing without a kernel stay unknown. */
#pragma D option switchrate=fast
#pragma D option statusrate=10hz
#pragma D option aggrate=1sec
#pragma D option cleanrate=101hz
#pragma D option cpu=0
#pragma D option aggpercpu
BEGIN { setopt("bufpolicy", "ring"); setopt("stackframes", "deep"); }

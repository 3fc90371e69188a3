/* A boolean option takes a number or one of DTrace's yes/no words; anything else is refused. */
#pragma D option quiet=maybe
BEGIN { setopt("agghist", "sometimes"); }

// quiet
#pragma D option nspec=1
fn:app:greet:entry { self->spec = speculation(); }
fn:app:greet:entry /self->spec/ { speculate(self->spec); printf("speculative %s\n", arg0); }
fn:app:greet:return /self->spec && retval == "hello node"/ { commit(self->spec); self->spec = 0; }
fn:app:greet:return /self->spec/ { discard(self->spec); self->spec = 0; }

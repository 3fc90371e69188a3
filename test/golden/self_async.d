// quiet
fn:app:wait:entry { self->n = arg0; self->ts = timestamp; }
fn:app:wait:return /self->ts/ { printf("wait(%d) -> %d elapsed>0:%d\n", self->n, retval, timestamp - self->ts > 0); self->ts = 0; }

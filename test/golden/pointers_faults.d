/* a bad address through * or [] is a run-time fault reported through ERROR, as DTrace's invalid address */
BEGIN { x = (int *)NULL; y = *x; trace(y); }
BEGIN { this->p = (long *)alloca(8); this->p[1] = 1; }
BEGIN { this->p = (long *)alloca(8); kept = this->p; }
BEGIN { y = *kept; }
BEGIN { this->ip = (int *)alloca(4); this->ip[-1] = 0; }
BEGIN { this->q = (char *)4096; this->v = *this->q; }
ERROR { printf("%s (%s)\n", arg4, arg5); }
BEGIN { exit(0); }

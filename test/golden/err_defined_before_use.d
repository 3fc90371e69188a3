/*
 * DTrace refuses a read of a variable that nothing before it in the program has declared or
 * assigned, in the order libdtrace cooks the program (dt_parser.c): clauses in order, each
 * one's actions before its predicate. A bare name not yet made is D_IDENT_UNDEF ("failed to
 * resolve", D3002); one made by this statement, or a self->, this-> or array, D_VAR_UNDEF (D4129).
 * An aggregation named before the clause that first aggregates into it is D_IDENT_UNDEF too.
 */
BEGIN { trace(later); }
BEGIN { later = 1; }
BEGIN { total += 1; }
BEGIN { hits["a"] = hits["a"] + 1; }
BEGIN { n = n + 1; }
fn:app:add:return /self->ts/ { @ = quantize(timestamp - self->ts); }
fn:app:add:entry { self->ts = timestamp; }
BEGIN { trace(this->never); }
BEGIN { self->bytes[probefunc] += 1; }
tick-1s { printa(@calls); trunc(@calls); }
fn:app:add:entry { @calls[probefunc] = count(); }

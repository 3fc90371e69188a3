import type { BindingKind } from '../core/index.js';
import type { Clause, Expr, Program, Span } from './ast.js';
import type { DiagnosticBag } from './diagnostics.js';
import type { Names } from './resolve.js';
import { childrenOf, stmtExprs } from './walk.js';

/** A variable one clause shares with others: a global (`x`, `a[k]`) or a `this->` variable. */
type SharedKey = string;

interface Access {
  /** Variables the clause writes anywhere. */
  readonly writes: Set<SharedKey>;
  /** Variables the clause may read before it has written them itself, with the first such read. */
  readonly reads: Map<SharedKey, Span>;
}

/**
 * Clauses bound by shm or message run on copies, each link with its own globals and its own
 * `this->` variables, so a value one probe clause writes never reaches another. DTrace's
 * clauses share both; rather than let a program read a stale 0, such a read is an error at
 * the reading clause (D4016) unless both clauses are bound directly. BEGIN's globals reach
 * every clause, and END and tick-N run in mscope, so only probe clauses take part.
 */
export function checkRemoteState(program: Program, names: Names, bindings: readonly BindingKind[], diags: DiagnosticBag): void {
  const probeClauses = program.clauses.filter((c) => c.probes.some((p) => p.description !== null));
  if (probeClauses.every((c) => bindings[c.index] === 'direct')) return;
  const access = new Map(probeClauses.map((c) => [c.index, accessOf(c, names)]));
  for (const reader of probeClauses) {
    for (const [key, at] of access.get(reader.index)!.reads) {
      const writer = probeClauses.find(
        (w) =>
          w !== reader && access.get(w.index)!.writes.has(key) && (bindings[w.index] !== 'direct' || bindings[reader.index] !== 'direct'),
      );
      if (writer === undefined) continue;
      const remote = bindings[reader.index] !== 'direct' ? reader : writer;
      diags.report('D4016', at, [key, writer.probes.map((p) => p.text).join(', '), bindings[remote.index]!]);
    }
  }
}

function accessOf(c: Clause, names: Names): Access {
  const writes = new Set<SharedKey>();
  const reads = new Map<SharedKey, Span>();
  // Written whole by a statement of the clause itself: later reads see the clause's own value.
  const own = new Set<SharedKey>();
  const keyOf = (e: Expr): SharedKey | null => {
    if (e.kind === 'ident' && (names.globals.has(e.name) || names.arrays.has(e.name))) return e.name;
    if (e.kind === 'this') return `this->${e.name}`;
    return null;
  };
  const root = (e: Expr): Expr => {
    let x = e;
    while (x.kind === 'index' || x.kind === 'member') x = x.target;
    return x;
  };
  const read = (e: Expr): void => {
    const todo: Expr[] = [e];
    for (let x = todo.pop(); x !== undefined; x = todo.pop()) {
      if (x.kind === 'assign' || x.kind === 'update') {
        const target = root(x.target);
        const key = keyOf(target);
        if (key !== null) writes.add(key);
        // `x = v` reads v, then the target's keys and members; `x += v` and `x++` read x too.
        const plain = x.kind === 'assign' && x.op === '=';
        if (x.kind === 'assign') todo.push(x.value);
        for (let t = x.target; t.kind === 'index' || t.kind === 'member'; t = t.target) if (t.kind === 'index') todo.push(...t.keys);
        if (!plain && key !== null && !own.has(key) && !reads.has(key)) reads.set(key, target.span);
        continue;
      }
      const key = keyOf(x);
      if (key !== null && !own.has(key) && !reads.has(key)) reads.set(key, x.span);
      const cs = childrenOf(x);
      for (let i = cs.length - 1; i >= 0; i--) todo.push(cs[i]!);
    }
  };
  if (c.predicate !== null) read(c.predicate);
  for (const s of c.body) {
    for (const e of stmtExprs(s)) read(e);
    if (s.kind === 'expr' && s.expr.kind === 'assign' && s.expr.op === '=') {
      const key = s.expr.target.kind === 'ident' || s.expr.target.kind === 'this' ? keyOf(s.expr.target) : null;
      if (key !== null) own.add(key);
    }
  }
  return { writes, reads };
}

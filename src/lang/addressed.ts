import type { Expr, Program } from './ast.js';
import { sizeOf } from './ctypes.js';
import { wholeInMemory } from './memory.js';
import type { Names } from './resolve.js';
import { STATIC_BASE } from './runtime/scratch.js';
import { visitExpr, visitProgram } from './walk.js';

/**
 * Global D variables whose members or elements have their address taken (`&a[0]` of `int
 * a[5];`, `&s.m` of `struct point s;`): these live in memory, at an address of their own for
 * the whole run (Scratch's static region), so that `&` of their parts is an address and their
 * reads and writes are loads and stores there. Every other D variable has no address (D4123,
 * D4126). Marks the refs of such a variable `inMemory` and lays the variables out, each 8-byte
 * aligned, in `names.statics`; runs after resolve, before typing.
 */
export function markAddressed(program: Program, names: Names): void {
  const addressed = new Set<string>();
  const visitAll = (f: (e: Expr) => void): void => {
    visitProgram(program, (e) => f(e));
    for (const inl of program.decls.inlines.values()) visitExpr(inl.expr, f);
    for (const t of program.decls.translators) for (const e of t.members.values()) visitExpr(e, f);
  };
  visitAll((e) => {
    if (e.kind !== 'unary' || e.op !== '&') return;
    const name = rootVariable(e.operand);
    const d = name === null ? undefined : program.decls.vars.get(name);
    if (d === undefined || d.scope !== 'global' || d.keys !== undefined) return;
    if (d.type.kind !== 'array' && d.type.kind !== 'struct' && d.type.kind !== 'union') return;
    if (wholeInMemory(d.type)) addressed.add(d.name);
  });
  if (addressed.size === 0) return;
  visitAll((e) => {
    const ref = e.kind === 'ident' || e.kind === 'index' ? e.ref : undefined;
    if ((ref?.kind === 'global' || ref?.kind === 'array') && addressed.has(ref.name)) ref.inMemory = true;
  });
  let offset = 0;
  for (const name of addressed) {
    const size = sizeOf(program.decls.vars.get(name)!.type);
    names.statics.set(name, { address: STATIC_BASE + offset, size });
    offset += Math.ceil(size / 8) * 8;
  }
}

/** The global whose member or element `e` is (`a[1]`, `s.m`, `s.v[2].m`), or null: not the variable itself, nor through a pointer. */
function rootVariable(e: Expr): string | null {
  if (e.kind === 'index' && e.ref?.kind === 'array') return e.ref.name;
  let x: Expr = e;
  let parts = 0;
  for (;;) {
    if (x.kind === 'member' && !x.arrow) x = x.target;
    else if (x.kind === 'index' && x.ref === undefined) x = x.target;
    else break;
    parts++;
  }
  if (parts === 0) return null;
  if (x.kind === 'index' && x.ref?.kind === 'array') return x.ref.name;
  return x.kind === 'ident' && x.ref?.kind === 'global' ? x.name : null;
}

import type { Expr, Program } from './ast.js';
import { sizeOf, type CType } from './ctypes.js';
import { wholeInMemory } from './memory.js';
import type { Names } from './resolve.js';
import type { VarTypes } from './types.js';
import { STATIC_BASE } from './runtime/scratch.js';
import { visitExpr, visitProgram } from './walk.js';

/**
 * D variables whose members or elements have their address taken (`&a[0]` of `int a[5];`,
 * `&s.m` of `struct point s;`, `&self->s.m`, `&this->v[2]`), as DTrace allows: these live in
 * memory, so that `&` of their parts is an address and their reads and writes are loads and
 * stores there. A variable's type is its declaration's or, undeclared, the one its first
 * assignment gave it (`self->s = *p;` then `&self->s.m`). A global has an address of its own
 * for the whole run (Scratch's static region, laid out 8-byte aligned in `names.statics`); a
 * `self->` or `this->` one holds its bytes, at an address of their own while they live
 * (Scratch.addressOf). The variable itself has no address (D4123). Marks the refs (globals)
 * or nodes (`self->`, `this->`) of such a variable `inMemory`; runs after typing, before the
 * checks (which read `inMemory`).
 */
export function markAddressed(program: Program, names: Names, varTypes: VarTypes): void {
  const typeOf = (key: string): CType | undefined => {
    const d = program.decls.vars.get(key);
    if (d !== undefined) return d.keys === undefined ? d.type : undefined;
    return varTypes.get(key);
  };
  const addressed = new Set<string>();
  const dynamic = new Set<string>();
  const visitAll = (f: (e: Expr) => void): void => {
    visitProgram(program, (e) => f(e));
    for (const inl of program.decls.inlines.values()) visitExpr(inl.expr, f);
    for (const t of program.decls.translators) for (const e of t.members.values()) visitExpr(e, f);
  };
  visitAll((e) => {
    if (e.kind !== 'unary' || e.op !== '&') return;
    const key = rootVariable(e.operand);
    const t = key === null ? undefined : typeOf(key);
    if (t === undefined || (t.kind !== 'array' && t.kind !== 'struct' && t.kind !== 'union')) return;
    if (wholeInMemory(t)) (key!.startsWith('self->') || key!.startsWith('this->') ? dynamic : addressed).add(key!);
  });
  for (const key of dynamic) names.dynamicInMemory.add(key);
  if (dynamic.size > 0) {
    visitAll((e) => {
      if ((e.kind === 'self' || e.kind === 'this') && dynamic.has(`${e.kind}->${e.name}`)) e.inMemory = true;
    });
  }
  if (addressed.size === 0) return;
  visitAll((e) => {
    const ref = e.kind === 'ident' || e.kind === 'index' ? e.ref : undefined;
    if ((ref?.kind === 'global' || ref?.kind === 'array') && addressed.has(ref.name)) ref.inMemory = true;
  });
  let offset = 0;
  for (const name of addressed) {
    const size = sizeOf(typeOf(name)!, program.decls.strsize);
    names.statics.set(name, { address: STATIC_BASE + offset, size });
    offset += Math.ceil(size / 8) * 8;
  }
}

/**
 * The declared variable whose member or element `e` is (`a[1]`, `s.m`, `s.v[2].m`,
 * `self->s.m`, `this->v[2]`), by its key in the declarations (`s`, `self->s`), or null: not
 * the variable itself, nor through a pointer.
 */
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
  if (x.kind === 'self' || x.kind === 'this') return `${x.kind}->${x.name}`;
  return x.kind === 'ident' && x.ref?.kind === 'global' ? x.name : null;
}

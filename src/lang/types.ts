import type { Clause, Expr, Stmt, Type } from './ast.js';
import { BUILTIN_FUNCS, BUILTIN_VARS } from './builtins.js';
import { leftSpine } from './walk.js';

/** Each variable's type by key (`x`, `a[]`, `self->x`, `this->x`): fixed by its first typed assignment. */
export type VarTypes = Map<string, Type>;

/**
 * The typing pass: sets `type` on every expression (int, string, void, or dyn for values read
 * from live objects) and fixes each variable's type by its first assignment. It reports
 * nothing; the checker reads the types. A variable assigned in a later clause than one that
 * reads it is typed at the read too: the pass runs over the clauses until no type changes.
 */
export function typeProgram(clauses: readonly Clause[]): VarTypes {
  const vars: VarTypes = new Map();
  const typer = new Typer(vars);
  for (let changed = true; changed;) {
    const before = vars.size + [...vars.values()].filter((t) => t !== 'dyn').length;
    for (const c of clauses) {
      if (c.predicate !== null) typer.expr(c.predicate);
      for (const s of c.body) typer.stmt(s);
    }
    changed = vars.size + [...vars.values()].filter((t) => t !== 'dyn').length !== before;
  }
  return vars;
}

export function varKey(e: Expr): string {
  switch (e.kind) {
    case 'self':
      return 'self->' + e.name;
    case 'this':
      return 'this->' + e.name;
    case 'index':
      return e.target.kind === 'ident' ? e.target.name + '[]' : '?';
    case 'ident':
      return e.name;
    default:
      return '?';
  }
}

class Typer {
  constructor(private readonly vars: VarTypes) {}

  stmt(s: Stmt): void {
    if (s.kind === 'expr') this.expr(s.expr);
    else for (const e of [...s.keys, ...s.args]) this.expr(e);
  }

  expr(e: Expr): Type {
    const t = this.typeOf(e);
    e.type = t;
    return t;
  }

  private typeOf(e: Expr): Type {
    switch (e.kind) {
      case 'int':
        return 'int';
      case 'str':
        return 'string';
      case 'agg':
        return 'void';
      case 'thisarg':
        return 'dyn';
      case 'ident': {
        const ref = e.ref;
        if (ref === undefined) return 'dyn';
        if (ref.kind === 'builtin') return BUILTIN_VARS.get(e.name)!.type;
        return this.vars.get(varKey(e)) ?? 'dyn';
      }
      case 'self':
      case 'this':
        return this.vars.get(varKey(e)) ?? 'dyn';
      case 'index':
        for (const k of e.keys) this.expr(k);
        if (e.ref?.kind === 'array') return this.vars.get(varKey(e)) ?? 'dyn';
        // `s[i]` of a string is a character.
        return this.expr(e.target) === 'string' ? 'int' : 'dyn';
      case 'member':
        this.expr(e.target);
        return 'dyn';
      case 'unary':
        this.expr(e.operand);
        return e.op === 'cast:string' ? 'string' : 'int';
      case 'update':
        return this.assignTo(e.target, 'int');
      case 'binary': {
        const spine = leftSpine(e);
        this.expr(spine[0]!.left);
        for (const b of spine) {
          this.expr(b.right);
          b.type = 'int';
        }
        return 'int';
      }
      case 'ternary': {
        this.expr(e.cond);
        const a = this.expr(e.then);
        const b = this.expr(e.else);
        return a === 'dyn' ? b : a;
      }
      case 'assign': {
        const v = this.expr(e.value);
        return this.assignTo(e.target, e.op === '=' ? v : 'int');
      }
      case 'call':
        for (const a of e.args) this.expr(a);
        return BUILTIN_FUNCS.get(e.name)?.returns ?? 'dyn';
    }
  }

  private assignTo(target: Expr, value: Type): Type {
    if (target.kind === 'index') for (const k of target.keys) this.expr(k);
    const key = varKey(target);
    const prev = this.vars.get(key);
    if (value === 'void') value = 'dyn';
    if (prev === undefined || (prev === 'dyn' && value !== 'dyn')) this.vars.set(key, value);
    target.type = this.vars.get(key) ?? value;
    return target.type;
  }
}

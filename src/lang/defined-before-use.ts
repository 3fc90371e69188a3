import type { Clause, Expr, Program, Span, Stmt } from './ast.js';
import type { DiagnosticBag, MessageCode } from './diagnostics.js';
import { leftSpine, visitProgram } from './walk.js';

/** A read DTrace refuses: thrown to end the clause's walk, as libdtrace's longjmp ends its cooking. */
class Undefined {
  constructor(
    readonly code: MessageCode,
    readonly span: Span,
    readonly name: string,
  ) {}
}

const ORDER_HINT = "D compiles clauses in order, and a clause's actions before its predicate: assign or declare it before the first read";

/**
 * DTrace's rule for a variable read before anything gives it a value, as libdtrace's cooking
 * pass applies it (dt_parser.c): clauses are cooked in program order, each clause's action list
 * before its predicate, or the predicate first when the actions read a variable not yet made
 * (dt_cook_clause). An assignment, `++`/`--` or a compound assignment creates a global, any use
 * creates a `self->`/`this->` variable or an associative array (dt_xcook_ident with create),
 * and a declaration, an assignment or a read marks it used. A read of a bare name not yet
 * created is D_IDENT_UNDEF ("failed to resolve x", our D3002); a checked read of one created but
 * not yet used is D_VAR_UNDEF ("x has not yet been declared or assigned", D4129, dt_cook_var).
 * Operands of the unary operators (`-x`, `!self->x`, `sizeof`, `stringof`) are cooked unchecked,
 * as dt_cook_op1 does. An aggregation is made by its first `@a = f()`, and naming it before
 * (`printa(@a)` in an earlier clause) is D_IDENT_UNDEF too (dt_cook_ident looks `@a` up in the
 * aggregations without create). Names nothing in the program assigns are left to D3002, D3009
 * and D4128.
 */
export function checkDefinedBeforeUse(program: Program, diags: DiagnosticBag): void {
  const written = new Set<string>();
  for (const [key, v] of program.decls.vars) written.add(v.scope === 'global' ? v.name : key);
  forEachStore(program, (key) => written.add(key));
  for (const c of program.clauses) for (const s of c.body) if (s.kind === 'aggregate') written.add('@' + s.name);
  const cook = new Cook(written);
  for (const [key, v] of program.decls.vars) cook.declare(v.scope === 'global' ? v.name : key);
  for (const c of program.clauses) {
    const u = cook.clause(c);
    if (u === null) continue;
    // DTrace stops at the first error; going on, the clause's own stores count as made, so one mistake is reported once.
    forEachStore({ ...program, clauses: [c] }, (key) => cook.declare(key));
    diags.report(
      u.code,
      u.span,
      [u.name],
      u.code === 'D3002' ? { suffix: ' here: it is first assigned later', hint: ORDER_HINT } : { hint: ORDER_HINT },
    );
  }
}

/** Every variable an assignment, `++` or `--` stores to: for `a[k] = v`, an associative array (`p[i] = v` stores through `p`). */
function forEachStore(program: Program, f: (key: string) => void): void {
  visitProgram(program, (e) => {
    if (e.kind !== 'assign' && e.kind !== 'update') return;
    const key = storedKey(e.target);
    if (key !== null) f(key);
  });
}

function storedKey(target: Expr): string | null {
  if (target.kind !== 'index') return variableKey(target);
  return target.ref?.kind === 'array' ? variableKey(target.target) : null;
}

/** `x`, `self->x`, `this->x`: the name a variable has in its namespace; null for anything else. */
function variableKey(e: Expr): string | null {
  if (e.kind === 'self' || e.kind === 'this') return `${e.kind}->${e.name}`;
  if (e.kind === 'ident' && (e.ref?.kind === 'global' || e.ref?.kind === 'array')) return e.name;
  return null;
}

class Cook {
  /** In its identifier hash (dt_idhash_insert). */
  private readonly created = new Set<string>();
  /** Declared, modified or referenced: not dt_ident_unref. */
  private readonly used = new Set<string>();

  constructor(private readonly written: ReadonlySet<string>) {}

  declare(key: string): void {
    this.created.add(key);
    this.used.add(key);
  }

  /** dt_cook_clause: actions first; on an undefined read, the predicate and then the actions again. */
  clause(c: Clause): Undefined | null {
    const actions = (): void => {
      for (const s of c.body) this.stmt(s);
    };
    try {
      actions();
    } catch (u) {
      if (!(u instanceof Undefined) || c.predicate === null) return rethrowUnless(u);
      try {
        this.read(c.predicate);
        actions();
        return null;
      } catch (again) {
        return rethrowUnless(again);
      }
    }
    if (c.predicate === null) return null;
    try {
      this.read(c.predicate);
    } catch (u) {
      return rethrowUnless(u);
    }
    return null;
  }

  private stmt(s: Stmt): void {
    if (s.kind === 'expr') return this.read(s.expr);
    // `@a[keys] = f(args)`: the function's arguments are cooked before the keys (dt_cook_aggregation).
    for (const a of s.args) this.read(a);
    for (const k of s.keys) this.read(k);
    this.created.add('@' + s.name);
  }

  /** Cooks `e` as a value (DT_IDFLG_REF): a variable in it must have been used before. */
  private read(e: Expr): void {
    this.cook(e, true);
  }

  /** Cooks `e`; `checked` is DT_IDFLG_REF, off for an assignment's target and a unary operand. */
  private cook(e: Expr, checked: boolean): void {
    switch (e.kind) {
      case 'ident': {
        const key = variableKey(e);
        if (key === null || !this.written.has(key)) return;
        if (!this.created.has(key)) throw new Undefined('D3002', e.span, e.name);
        return this.use(key, e.span, checked);
      }
      case 'self':
      case 'this': {
        const key = variableKey(e)!;
        this.created.add(key);
        return this.use(key, e.span, checked);
      }
      case 'index': {
        const key = e.ref?.kind === 'array' ? variableKey(e.target) : null;
        if (key === null) {
          const unassigned = (e.target.kind === 'self' || e.target.kind === 'this') && !this.written.has(variableKey(e.target)!);
          if (!unassigned) this.read(e.target);
        } else {
          // An associative array: `a[k]` creates `a`; a read of it must follow a use (D4128 when nothing ever does).
          if (!this.written.has(key)) return e.keys.forEach((k) => this.read(k));
          this.created.add(key);
          if (checked && !this.used.has(key)) throw new Undefined('D4129', e.target.span, key);
        }
        for (const k of e.keys) this.read(k);
        if (key !== null && checked) this.used.add(key);
        return;
      }
      case 'agg':
        if (this.written.has('@' + e.name) && !this.created.has('@' + e.name)) throw new Undefined('D3002', e.span, '@' + e.name);
        return;
      case 'member':
        return this.read(e.target);
      case 'call':
        if (e.name === 'stringof' && e.args.length === 1) return this.operand(e.args[0]!);
        for (const a of e.args) this.read(a);
        return;
      case 'unary':
        return e.op === 'cast' ? this.read(e.operand) : this.operand(e.operand);
      case 'sizeof':
        return this.operand(e.operand);
      case 'xlate':
        return this.read(e.operand);
      case 'update':
        this.create(e.target);
        return this.operand(e.target);
      case 'binary':
        for (const [i, b] of leftSpine(e).entries()) {
          if (i === 0) this.read(b.left);
          this.read(b.right);
        }
        return;
      case 'ternary':
        this.read(e.cond);
        this.read(e.then);
        return this.read(e.else);
      case 'assign': {
        this.create(e.target);
        if (e.op !== '=') {
          this.read(e.target);
          return this.read(e.value);
        }
        this.cook(e.target, false);
        this.read(e.value);
        const key = storedKey(e.target);
        if (key !== null) this.used.add(key);
        return;
      }
      default:
        return;
    }
  }

  /** dt_cook_op1: the operand is cooked unchecked, then marked used. */
  private operand(e: Expr): void {
    this.cook(e, false);
    const key = variableKey(e.kind === 'index' && e.ref?.kind === 'array' ? e.target : e);
    if (key !== null && this.created.has(key)) this.used.add(key);
  }

  /** An assignment's, `++`'s or `--`'s target creates the global it names (dt_xcook_ident with create). */
  private create(target: Expr): void {
    const key = variableKey(target);
    if (target.kind === 'ident' && key !== null) this.created.add(key);
  }

  private use(key: string, span: Span, checked: boolean): void {
    if (checked && !this.used.has(key)) throw new Undefined('D4129', span, key);
    if (checked) this.used.add(key);
  }
}

function rethrowUnless(u: unknown): Undefined {
  if (u instanceof Undefined) return u;
  throw u;
}

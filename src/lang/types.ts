import type { Clause, Expr, Stmt } from './ast.js';
import { BUILTIN_FUNCS, BUILTIN_VARS } from './builtins.js';
import {
  arithmeticType,
  CHAR,
  coarse,
  constantType,
  DYN,
  INT,
  INT64,
  pointerTo,
  PTRDIFF_T,
  SIZE_T,
  STRING,
  unaryType,
  VOID,
  type CType,
} from './ctypes.js';
import { Declarations } from './declarations.js';
import { leftSpine } from './walk.js';

/**
 * Each variable's type by key (`x`, `a[]` for an array's elements, `self->x`, `this->x`): its
 * declaration's, else fixed by its first typed assignment, as in D.
 */
export type VarTypes = Map<string, CType>;

/** The D types of the built-in variables whose type is known before the program runs. */
const BUILTIN_CTYPES: Readonly<Record<string, CType>> = {
  errno: INT,
  timestamp: { kind: 'int', name: 'uint64_t', size: 8, signed: false },
  vtimestamp: { kind: 'int', name: 'uint64_t', size: 8, signed: false },
  walltimestamp: { kind: 'int', name: 'int64_t', size: 8, signed: true },
  elapsed: { kind: 'int', name: 'uint64_t', size: 8, signed: false },
  vtime: { kind: 'int', name: 'uint64_t', size: 8, signed: false },
  concurrency: { kind: 'int', name: 'uint32_t', size: 4, signed: false },
  pid: { kind: 'int', name: 'pid_t', size: 4, signed: true },
  ppid: { kind: 'int', name: 'pid_t', size: 4, signed: true },
  tid: { kind: 'int', name: 'id_t', size: 4, signed: true },
  uid: { kind: 'int', name: 'uid_t', size: 4, signed: false },
  gid: { kind: 'int', name: 'gid_t', size: 4, signed: false },
  cpu: { kind: 'int', name: 'processorid_t', size: 4, signed: true },
  id: { kind: 'int', name: 'dtrace_id_t', size: 4, signed: false },
  activity: INT64,
};

/** What the integer-returning built-in functions return, where it is not int64_t. */
const FUNC_CTYPES: Readonly<Record<string, CType>> = {
  strlen: SIZE_T,
  index: INT,
  rindex: INT,
  rand: INT,
  speculation: INT,
  // DTrace's: a `void *`, which converts to any pointer without a cast (and needs one to be read or moved).
  alloca: pointerTo(VOID),
};

export function builtinVarType(name: string): CType {
  const known = BUILTIN_CTYPES[name];
  if (known !== undefined) return known;
  const t = BUILTIN_VARS.get(name)?.type;
  return t === 'string' ? STRING : t === 'int' ? INT64 : DYN;
}

/**
 * The typing pass: sets `ctype` (the D type) and `type` (its kind) on every expression and
 * fixes each undeclared variable's type by its first assignment. It reports nothing; the
 * checker reads the types. A variable assigned in a later clause than one that reads it is
 * typed at the read too: the pass runs over the clauses until no type changes.
 */
export function typeProgram(clauses: readonly Clause[], decls: Declarations = new Declarations()): VarTypes {
  const vars: VarTypes = new Map();
  for (const [key, v] of decls.vars) {
    // A global array is stored as an associative one; a self-> or this-> array is a value, as a struct is.
    if (v.type.kind === 'array' && v.scope === 'global') vars.set(key + '[]', v.type.of);
    else if (v.keys !== undefined) vars.set(key + '[]', v.type);
    else vars.set(key, v.type);
  }
  const typer = new Typer(vars, decls);
  const known = (): number => [...vars.values()].filter((t) => t.kind !== 'dyn').length + vars.size;
  for (let changed = true; changed;) {
    const before = known();
    for (const c of clauses) {
      if (c.predicate !== null) typer.expr(c.predicate);
      for (const s of c.body) typer.stmt(s);
    }
    changed = known() !== before;
  }
  for (const inl of decls.inlines.values()) typer.expr(inl.expr);
  for (const t of decls.translators) for (const m of t.members.values()) typer.expr(m);
  return vars;
}

export function varKey(e: Expr): string {
  switch (e.kind) {
    case 'self':
      return 'self->' + e.name;
    case 'this':
      return 'this->' + e.name;
    case 'index':
      if (e.target.kind === 'self' && e.ref?.kind === 'array') return e.ref.name + '[]';
      return e.target.kind === 'ident' ? e.target.name + '[]' : '?';
    case 'ident':
      return e.name;
    default:
      return '?';
  }
}

class Typer {
  constructor(
    private readonly vars: VarTypes,
    private readonly decls: Declarations,
  ) {}

  stmt(s: Stmt): void {
    if (s.kind === 'expr') this.expr(s.expr);
    else for (const e of [...s.keys, ...s.args]) this.expr(e);
  }

  expr(e: Expr): CType {
    const t = this.typeOf(e);
    e.ctype = t;
    e.type = coarse(t);
    return t;
  }

  private typeOf(e: Expr): CType {
    switch (e.kind) {
      case 'int':
        return e.ctype ?? constantType(String(e.value), BigInt(e.value));
      case 'float':
        return e.ctype!;
      case 'str':
        return STRING;
      case 'agg':
        return VOID;
      case 'thisarg':
        return DYN;
      case 'ident': {
        const ref = e.ref;
        if (ref === undefined) return DYN;
        if (ref.kind === 'builtin') return builtinVarType(e.name);
        if (ref.kind === 'param') return DYN;
        if (ref.kind === 'const') return this.decls.enumerators.get(e.name)!.type;
        if (ref.kind === 'inline') return this.decls.inlines.get(e.name)!.type;
        return this.vars.get(varKey(e)) ?? DYN;
      }
      case 'self':
      case 'this':
        return this.vars.get(varKey(e)) ?? DYN;
      case 'index': {
        for (const k of e.keys) this.expr(k);
        if (e.ref?.kind === 'array') return this.vars.get(varKey(e)) ?? DYN;
        const t = this.expr(e.target);
        // `s[i]` of a string is a character.
        if (t.kind === 'string') return CHAR;
        if (t.kind === 'ptr') return t.to;
        return t.kind === 'array' ? t.of : DYN;
      }
      case 'member':
        return this.member(e, this.expr(e.target));
      case 'sizeof':
        this.expr(e.operand);
        return SIZE_T;
      case 'xlate':
        this.expr(e.operand);
        return e.to;
      case 'unary': {
        const t = this.expr(e.operand);
        if (e.op === 'cast') return e.to!;
        if (e.op === '!') return INT;
        if (e.op === '*') return t.kind === 'ptr' ? t.to : t.kind === 'array' ? t.of : DYN;
        if (e.op === '&') return t.kind === 'dyn' ? DYN : pointerTo(t);
        return unaryType(t);
      }
      case 'update':
        return this.assignTo(e.target, INT, false);
      case 'binary': {
        const spine = leftSpine(e);
        let l = this.expr(spine[0]!.left);
        for (const b of spine) {
          const r = this.expr(b.right);
          l = binaryType(b.op, l, r);
          b.ctype = l;
          b.type = coarse(l);
        }
        return l;
      }
      case 'ternary': {
        this.expr(e.cond);
        const a = this.expr(e.then);
        const b = this.expr(e.else);
        if (isArith(a) && isArith(b)) return arithmeticType(a, b);
        return a.kind === 'dyn' ? b : a;
      }
      case 'assign': {
        const v = this.expr(e.value);
        if (e.op === '=') return this.assignTo(e.target, v.kind === 'void' ? DYN : v, true);
        const cur = this.vars.get(varKey(e.target));
        return this.assignTo(e.target, cur === undefined ? binaryType(e.op.slice(0, -1), INT, v) : cur, false);
      }
      case 'call': {
        for (const a of e.args) this.expr(a);
        const known = FUNC_CTYPES[e.name];
        if (known !== undefined) return known;
        const r = BUILTIN_FUNCS.get(e.name)?.returns ?? 'dyn';
        return r === 'int' ? INT64 : r === 'string' ? STRING : r === 'void' ? VOID : DYN;
      }
    }
  }

  private member(e: Extract<Expr, { kind: 'member' }>, t: CType): CType {
    const s = e.arrow && t.kind === 'ptr' ? t.to : t;
    if (s.kind !== 'struct' && s.kind !== 'union') return DYN;
    return s.members?.find((m) => m.name === e.name)?.type ?? DYN;
  }

  /** The type a store into `target` has: the variable's, fixed here by its first assignment. */
  private assignTo(target: Expr, value: CType, plain: boolean): CType {
    if (target.kind === 'index') for (const k of target.keys) this.expr(k);
    if (target.kind === 'member' || target.kind === 'unary' || (target.kind === 'index' && target.ref?.kind !== 'array')) {
      const t = this.expr(target);
      return t;
    }
    const key = varKey(target);
    const prev = this.vars.get(key);
    const v = plain ? value : value.kind === 'dyn' ? INT64 : value;
    if (prev === undefined || (prev.kind === 'dyn' && v.kind !== 'dyn')) this.vars.set(key, v);
    const t = this.vars.get(key) ?? v;
    target.ctype = t;
    target.type = coarse(t);
    return t;
  }
}

function isInteger(t: CType): boolean {
  return t.kind === 'int' || t.kind === 'enum' || t.kind === 'dyn';
}

function isArith(t: CType): boolean {
  return t.kind === 'int' || t.kind === 'float' || t.kind === 'enum' || t.kind === 'dyn';
}

const COMPARE_OR_LOGICAL = new Set(['==', '!=', '<', '<=', '>', '>=', '&&', '||', '^^']);

/** The type of `l op r`: comparisons are int, shifts the promoted left operand, the rest C's usual conversions. */
export function binaryType(op: string, l: CType, r: CType): CType {
  if (COMPARE_OR_LOGICAL.has(op)) return INT;
  if (op === '<<' || op === '>>') return unaryType(l.kind === 'float' ? INT64 : l);
  if (l.kind === 'string' || r.kind === 'string') return INT64;
  // Pointer arithmetic, as C's: pointer ± integer is the pointer's type, pointer − pointer a ptrdiff_t.
  if (op === '+' || op === '-') {
    if (l.kind === 'ptr' && r.kind === 'ptr' && op === '-') return PTRDIFF_T;
    if (l.kind === 'ptr' && isInteger(r)) return l;
    if (r.kind === 'ptr' && isInteger(l) && op === '+') return r;
  }
  return arithmeticType(l, r);
}

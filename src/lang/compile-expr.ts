import type { Expr, Type } from './ast.js';
import { BUILTIN_VARS, isNull } from './builtins.js';
import type { CheckResult } from './check.js';
import { varKey } from './types.js';
import { leftSpine } from './walk.js';
import { builtinCall, builtinVariable } from './compile-builtins.js';
import type { Names } from './resolve.js';

const BIN_INT: Record<string, string> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'mod' };
const BIT_OPS: Record<string, number> = { '&': 0, '|': 1, '^': 2, '<<': 3, '>>': 4 };
const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);
const LOGICAL = new Set(['&&', '||', '^^']);
/** Longer left-leaning chains are generated as a flat sequence on `$c`: V8 cannot parse 10,000 nested calls. */
const MAX_NESTED_CHAIN = 32;

/**
 * Expressions to JavaScript. Identifiers are D identifiers (letters, digits, `_`) behind a
 * prefix and every literal goes through JSON.stringify or is a number; integer-typed code
 * skips the conversions that `dyn` values need.
 */
export abstract class ExprCompiler {
  protected readonly selfIndex = new Map<string, number>();
  protected readonly aggIndex = new Map<string, number>();
  protected readonly selfVars: string[];
  protected readonly aggs: string[];
  /** Binary nodes whose value already sits in `$c`, while a long chain is being generated. */
  private readonly spilled = new Set<Expr>();

  constructor(
    protected readonly names: Names,
    protected readonly checked: CheckResult,
  ) {
    this.selfVars = [...names.selfVars];
    this.selfVars.forEach((n, i) => this.selfIndex.set(n, i));
    this.aggs = [...names.aggregations];
    this.aggs.forEach((n, i) => this.aggIndex.set(n, i));
  }

  /** An action (printf, exit…) as a statement; `spec` when the clause speculates. */
  protected abstract exprStmt(e: Expr, spec: boolean): string;

  protected typeOfVar(key: string): Type {
    return this.checked.varTypes.get(key) ?? 'dyn';
  }

  protected defaultOf(key: string): string {
    return this.typeOfVar(key) === 'string' ? '""' : '0';
  }

  protected int(e: Expr): string {
    const c = this.expr(e);
    return e.type === 'int' ? c : `toInt(${c})`;
  }

  protected str(e: Expr): string {
    const c = this.expr(e);
    return e.type === 'string' ? c : `ts(${c})`;
  }

  /** A JS boolean for D truth (non-zero). */
  protected bool(e: Expr): string {
    if (this.spilled.has(e)) return '($c !== 0)';
    if (e.kind === 'binary' && (COMPARE.has(e.op) || LOGICAL.has(e.op))) return this.boolBinary(e);
    if (e.kind === 'unary' && e.op === '!') return `(!${this.bool(e.operand)})`;
    const c = this.expr(e);
    return e.type === 'int' ? `(${c} !== 0)` : `truthy(${c})`;
  }

  private boolBinary(e: Extract<Expr, { kind: 'binary' }>): string {
    if (e.op === '&&' || e.op === '||') return this.logicalChain(e);
    if (e.op === '^^') return `(${this.bool(e.left)} !== ${this.bool(e.right)})`;
    const lt = e.left.type;
    const rt = e.right.type;
    const l = this.expr(e.left);
    const r = this.expr(e.right);
    const op = e.op === '==' ? '===' : e.op === '!=' ? '!==' : e.op;
    if (lt === rt && (lt === 'int' || lt === 'string')) return `(${l} ${op} ${r})`;
    // A string against NULL: the null string is "" here.
    if ((e.op === '==' || e.op === '!=') && ((lt === 'string' && isNull(e.right)) || (rt === 'string' && isNull(e.left)))) {
      return `(${lt === 'string' ? l : r} ${op} "")`;
    }
    if (e.op === '==') return `looseEq(${l}, ${r})`;
    if (e.op === '!=') return `(!looseEq(${l}, ${r}))`;
    return `(compare(${l}, ${r}) ${e.op} 0)`;
  }

  /** `a && b && c` flat, however long: the operators associate, so no parentheses are needed. */
  private logicalChain(e: Extract<Expr, { kind: 'binary' }>): string {
    const operands: Expr[] = [];
    let x: Expr = e;
    for (; x.kind === 'binary' && x.op === e.op && !this.spilled.has(x); x = x.left) operands.push(x.right);
    operands.push(x);
    return `(${operands
      .reverse()
      .map((o) => this.bool(o))
      .join(` ${e.op} `)})`;
  }

  expr(e: Expr): string {
    if (this.spilled.has(e)) return '$c';
    switch (e.kind) {
      case 'int':
        return typeof e.value === 'bigint' ? `${e.value}n` : e.value < 0 ? `(${e.value})` : String(e.value);
      case 'str':
        return JSON.stringify(e.value);
      case 'agg':
        return '0';
      case 'thisarg':
        return 'nv(ev.thisArg)';
      case 'ident':
        return this.ident(e);
      case 'self':
        return `ss[${this.selfIndex.get(e.name)!}]`;
      case 'this':
        return `t_${e.name}`;
      case 'index':
        return this.index(e);
      case 'member':
        return `readMember(${this.expr(e.target)}, ${JSON.stringify(e.name)})`;
      case 'unary':
        return this.unary(e);
      case 'binary':
        return this.binary(e);
      case 'ternary':
        return `(${this.bool(e.cond)} ? ${this.expr(e.then)} : ${this.expr(e.else)})`;
      case 'assign':
        return this.assign(e.target, e.op, e.value);
      case 'update':
        return this.update(e);
      case 'call':
        return this.call(e);
    }
  }

  private ident(e: Extract<Expr, { kind: 'ident' }>): string {
    const ref = e.ref;
    if (ref === undefined) return '0';
    if (ref.kind === 'global') return `g_${e.name}`;
    if (ref.kind === 'array') return '0';
    if (!BUILTIN_VARS.has(e.name)) return '0';
    return builtinVariable(e.name);
  }

  protected keyOf(keys: Expr[]): string {
    if (keys.length === 1) return `toKey(${this.expr(keys[0]!)})`;
    return `tupleKey([${keys.map((k) => this.expr(k)).join(', ')}])`;
  }

  private index(e: Extract<Expr, { kind: 'index' }>): string {
    if (e.ref?.kind === 'array') {
      return `(a_${e.ref.name}.get(${this.keyOf(e.keys)}) ?? ${this.defaultOf(varKey(e))})`;
    }
    if (e.target.kind === 'ident' && e.target.ref?.kind === 'builtin' && e.target.name === 'args') {
      return `argAt(ev.args, ${this.int(e.keys[0]!)})`;
    }
    if (e.target.type === 'string') return `S.charAt(${this.expr(e.target)}, ${this.int(e.keys[0]!)}, rt.strsize)`;
    return `readMember(${this.expr(e.target)}, toKey(${this.expr(e.keys[0]!)}))`;
  }

  private unary(e: Extract<Expr, { kind: 'unary' }>): string {
    switch (e.op) {
      case '!':
        return `(${this.bool(e)} ? 1 : 0)`;
      case '-':
        return `neg(${this.int(e.operand)})`;
      case '~':
        return `bnot(${this.int(e.operand)})`;
      case 'cast:string':
        return this.str(e.operand);
      default:
        return this.int(e.operand);
    }
  }

  /**
   * A binary operation. A long chain (`1 + 1 + … + 1` nests to the left) becomes
   * `($c = 1 + 1, $c = $c + 1, …, $c)`: each step reads `$c` before its right operand, which
   * may hold a chain of its own, so one variable serves them all.
   */
  private binary(e: Extract<Expr, { kind: 'binary' }>): string {
    if (e.left.kind !== 'binary' || this.spilled.has(e.left)) return this.binaryStep(e);
    const spine = leftSpine(e);
    if (spine.length <= MAX_NESTED_CHAIN) return this.binaryStep(e);
    if ((e.op === '&&' || e.op === '||') && spine.every((b) => b.op === e.op)) return `(${this.logicalChain(e)} ? 1 : 0)`;
    const steps: string[] = [];
    for (const b of spine) {
      steps.push(`$c = ${this.binaryStep(b)}`);
      this.spilled.add(b);
    }
    for (const b of spine) this.spilled.delete(b);
    return `(${steps.join(', ')}, $c)`;
  }

  private binaryStep(e: Extract<Expr, { kind: 'binary' }>): string {
    if (COMPARE.has(e.op) || LOGICAL.has(e.op)) return `(${this.boolBinary(e)} ? 1 : 0)`;
    const l = this.int(e.left);
    const r = this.int(e.right);
    const f = BIN_INT[e.op];
    if (f !== undefined) return `${f}(${l}, ${r})`;
    return `bitop(${BIT_OPS[e.op]!}, ${l}, ${r})`;
  }

  /** The value to store in `target`, converted to the variable's type. */
  private coerce(target: Expr, code: string, from: Type | undefined): string {
    const t = this.typeOfVar(varKey(target));
    if (t === 'int' && from !== 'int') return `toInt(${code})`;
    if (t === 'string' && from !== 'string') return `ts(${code})`;
    if (t === 'dyn' && from !== 'int' && from !== 'string') return `nv(${code})`;
    return code;
  }

  private assign(target: Expr, op: string, value: Expr): string {
    let v: string;
    let from: Type | undefined = value.type;
    if (op === '=') v = this.expr(value);
    else {
      const base = op.slice(0, -1);
      const cur = this.expr(target);
      const curInt = target.type === 'int' ? cur : `toInt(${cur})`;
      const f = BIN_INT[base];
      v = f !== undefined ? `${f}(${curInt}, ${this.int(value)})` : `bitop(${BIT_OPS[base]!}, ${curInt}, ${this.int(value)})`;
      from = 'int';
    }
    return this.store(target, this.coerce(target, v, from));
  }

  private store(target: Expr, v: string): string {
    switch (target.kind) {
      case 'ident':
        return `(g_${target.name} = ${v})`;
      case 'self':
        // The first write of a clause goes through selfWrite: it copies slots inherited from another execution.
        return `((sw ? ss : ((sw = true), (ss = rt.selfWrite())))[${this.selfIndex.get(target.name)!}] = ${v})`;
      case 'this':
        return `(t_${target.name} = ${v})`;
      case 'index':
        if (target.target.kind === 'ident') return `aset(a_${target.target.name}, ${this.keyOf(target.keys)}, ${v}, dv)`;
    }
    return v;
  }

  private update(e: Extract<Expr, { kind: 'update' }>): string {
    const f = e.op === '++' ? 'add' : 'sub';
    if (e.target.kind === 'index' && e.target.target.kind === 'ident') {
      return `aincr(a_${e.target.target.name}, ${this.keyOf(e.target.keys)}, ${e.op === '++' ? 1 : -1}, ${e.prefix}, dv)`;
    }
    const cur = e.target.type === 'int' ? this.expr(e.target) : `toInt(${this.expr(e.target)})`;
    const next = this.store(e.target, `${f}($t, 1)`);
    return e.prefix ? `($t = ${cur}, ${next})` : `($t = ${cur}, ${next}, $t)`;
  }

  private call(e: Extract<Expr, { kind: 'call' }>): string {
    const code = builtinCall(
      e,
      (x) => this.str(x),
      (x) => this.int(x),
      (x) => this.expr(x),
    );
    // An action used as a value (`x = printf(…)`) runs, then reads as 0.
    return code ?? `(${this.exprStmt(e, false)}, 0)`;
  }
}

import type { Clause, Expr, Program, Stmt, Type } from './ast.js';
import { createAggregation } from '../aggregate/create.js';
import { AGG_FUNCS, aggArity, BUILTIN_FUNCS, BUILTIN_VARS, Capability, isNull } from './builtins.js';
import { OPTIONS, optionChoices, optionValueError } from './options.js';
import { PROVIDER_RECORDS, RECORDS, type RecordType } from '../providers/catalogue.js';
import type { DiagnosticBag } from './diagnostics.js';
import { compileFormat, type CompiledFormat } from '../aggregate/printf.js';
import { varKey, type VarTypes } from './types.js';
import { asInt, assignable, coarse, DYN, typeName, type CType } from './ctypes.js';
import { isMemory, lvalueText, memberOf, wholeInMemory } from './memory.js';
import { constEval, type Declarations } from './declarations.js';
import { didYouMean } from './suggest.js';
import { checkFormatArgs } from './check-format.js';
import { keyWidth } from './key-widths.js';
import { leftSpine } from './walk.js';

export interface AggregationInfo {
  readonly name: string;
  /** The function as first written (`hist`), which createAggregation understands. */
  readonly func: string;
  /** The kind it makes (`quantize`); two uses must agree on it. */
  readonly kind: string;
  readonly keyCount: number;
  /** Each integer key's printed width, by its type (key-widths.ts), from the first use. */
  readonly keyWidths: readonly number[];
  /** The constant arguments after the value (lquantize's low, high, step…). */
  readonly params: readonly number[];
}

export interface CheckResult {
  readonly varTypes: VarTypes;
  readonly decls: Declarations;
  readonly aggregations: Map<string, AggregationInfo>;
  /** Per clause index: the binding capabilities it needs. */
  readonly capabilities: Capability[][];
  readonly options: Map<string, string>;
  /** Aggregations some printa(), print() or trace() names: DTrace does not print them again at exit. */
  readonly printedByProgram: Set<string>;
}

const INT_OPS = new Set(['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>']);
const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const FLOAT_OPS = new Set(['+', '-', '*', '/']);

/**
 * The checker, over typed expressions (types.ts runs first): operand and argument types,
 * assignments against each variable's type, calls and aggregations, options, and each
 * clause's binding capabilities. It reports and changes nothing in the tree.
 */
export function checkProgram(
  program: Program,
  varTypes: VarTypes,
  diags: DiagnosticBag,
  settings: Iterable<[string, string]> = [],
): CheckResult {
  const result: CheckResult = {
    varTypes,
    decls: program.decls,
    aggregations: new Map(),
    capabilities: [],
    options: new Map(),
    printedByProgram: new Set(),
  };
  const checker = new Checker(result, diags, program.decls);
  checker.clauses(program.clauses);
  checker.declarations();
  for (const p of program.pragmas) if (p.kind === 'option') checkOption(p.option, p.value, p.span, diags, result);
  // `-x` settings are checked as pragmas are; with no source line, the diagnostic names the setting.
  for (const [name, value] of settings) {
    const file = OPTIONS.has(name) ? `-x ${name}=${value}` : `-x ${name}`;
    checkOption(name, value, { file, start: 0, end: 0 }, diags, result);
  }
  return result;
}

/** Checks an option; a pragma's or `-x`'s is the program's from the start (`r`), setopt()'s takes effect when it runs. */
function checkOption(name: string, value: string, span: Expr['span'], diags: DiagnosticBag, r: CheckResult | null): void {
  if (!OPTIONS.has(name)) {
    diags.report('D3007', span, [name], { suffix: didYouMean(name, OPTIONS.keys()) });
    return;
  }
  if (optionValueError(name, value) !== null) {
    const choices = optionChoices(name);
    diags.report(
      'D3012',
      span,
      [name, value],
      choices === undefined ? {} : { suffix: `; expected ${choices.map((c) => `\`${c}\``).join(' or ')}` },
    );
    return;
  }
  r?.options.set(name, value);
}

/**
 * The records a clause's probes pass as `args[0]`, by provider, when every probe is of a stable
 * provider named without a glob (the catalogue knows their fields); null otherwise, since
 * `fn`, `node`, `dc` and `usdt` probes pass the program's own values.
 */
function clauseRecords(c: Clause): Array<{ provider: string; type: RecordType }> | null {
  const out: Array<{ provider: string; type: RecordType }> = [];
  for (const p of c.probes) {
    const provider = p.description?.provider;
    const type = provider === undefined ? undefined : PROVIDER_RECORDS[provider];
    if (provider === undefined || type === undefined || !Object.hasOwn(PROVIDER_RECORDS, provider)) return null;
    if (!out.some((r) => r.provider === provider)) out.push({ provider, type });
  }
  return out;
}

/** `args[0]` or `arg0`: the record, on a stable provider's probe. */
function isRecord(e: Expr): boolean {
  if (e.kind === 'ident') return e.ref?.kind === 'builtin' && e.name === 'arg0';
  return (
    e.kind === 'index' &&
    e.target.kind === 'ident' &&
    e.target.ref?.kind === 'builtin' &&
    e.target.name === 'args' &&
    constValue(e.keys[0]!) === 0
  );
}

/** N of `args[N]` or `argN`, when constant; null for anything else. */
function argumentIndex(e: Expr): number | null {
  if (e.kind === 'ident' && e.ref?.kind === 'builtin') {
    const m = /^arg([0-9])$/.exec(e.name);
    return m === null ? null : Number(m[1]);
  }
  if (e.kind !== 'index' || e.target.kind !== 'ident' || e.target.ref?.kind !== 'builtin' || e.target.name !== 'args') return null;
  const v = constValue(e.keys[0]!);
  return v === null ? null : Number(v);
}

class Checker {
  private caps = new Set<Capability>();
  private records: Array<{ provider: string; type: RecordType }> | null = null;
  private speculative = false;
  private recorded = false;
  /** The clause has aggregated (DTrace's DT_CLSFLAG_AGGREGATION). */
  private aggregated = false;
  private committed = false;
  /** The target of the member access or index being checked: a struct or array in memory may be one. */
  private base: Expr | null = null;

  constructor(
    private readonly r: CheckResult,
    private readonly diags: DiagnosticBag,
    private readonly decls: Declarations,
  ) {}

  /** Inlines and translator members: their expressions, against their declared types. */
  declarations(): void {
    for (const inl of this.decls.inlines.values()) {
      const t = this.expr(inl.expr);
      const v = inl.expr.ctype ?? DYN;
      if (!assignable(inl.type, v, isZero(inl.expr)))
        this.diags.report('D4004', inl.expr.span, [inl.name, describeC(inl.type), describeC(v)]);
      else if (t === 'void') this.diags.report('D4004', inl.expr.span, [inl.name, describeC(inl.type), 'no value']);
    }
    for (const tr of this.decls.translators) {
      const to = tr.to;
      if (to.kind !== 'struct' && to.kind !== 'union') {
        this.diags.report('D4107', tr.span, ['translator', typeName(to)]);
        continue;
      }
      if (to.members === null) this.diags.report('D4109', tr.span, [to.name]);
      for (const [name, value] of tr.members) {
        this.expr(value);
        const m = to.members?.find((x) => x.name === name);
        if (to.members !== null && m === undefined) this.diags.report('D4106', value.span, [to.name, name]);
        else if (m !== undefined && !assignable(m.type, value.ctype ?? DYN, isZero(value))) {
          this.diags.report('D4004', value.span, [`${to.name}.${name}`, describeC(m.type), describeC(value.ctype ?? DYN)]);
        }
      }
    }
  }

  clauses(clauses: readonly Clause[]): void {
    for (const c of clauses) {
      this.caps = new Set();
      this.speculative = false;
      this.recorded = false;
      this.aggregated = false;
      this.committed = false;
      this.records = clauseRecords(c);
      if (c.predicate !== null) this.expr(c.predicate);
      for (const s of c.body) this.stmt(s);
      this.r.capabilities[c.index] = [...this.caps].sort();
    }
  }

  private stmt(s: Stmt): void {
    if (s.kind === 'expr') {
      this.expr(s.expr);
      return;
    }
    if (this.speculative) this.diags.report('D4012', s.span);
    else if (this.committed) this.diags.report('D4204', s.span, ['an aggregating action', '`commit()`']);
    this.aggregated = true;
    for (const k of s.keys) this.expr(k);
    const f = AGG_FUNCS.get(s.func);
    if (f === undefined) {
      this.diags.report('D3001', s.funcSpan, [s.func], { suffix: didYouMean(s.func, AGG_FUNCS.keys()) });
      return;
    }
    const { min, max } = aggArity(f);
    if (s.args.length < min || s.args.length > max) {
      this.diags.report('D3004', s.funcSpan, [s.func, min === max ? min : `${min} to ${max}`, s.args.length]);
    }
    const first = f.takesValue ? 1 : 0;
    const nParams = Math.min(f.maxParams, Math.max(0, s.args.length - first));
    s.args.forEach((a, i) => {
      const t = this.expr(a);
      if (i >= first && i < first + nParams && constValue(a) === null) this.diags.report('D4009', a.span, [i + 1, s.func]);
      else if (t === 'string') this.diags.report('D4003', a.span, [i + 1, s.func, 'an integer', 'a string']);
      else if (t === 'float' || t === 'struct') this.diags.report('D4112', a.span, [`\`${s.func}()\``, describeC(a.ctype ?? DYN)]);
    });
    for (const k of s.keys) {
      if (k.type === 'float' || k.type === 'struct') this.diags.report('D4112', k.span, ['an aggregation key', describeC(k.ctype ?? DYN)]);
    }
    const name = s.name || '_';
    const params = s.args.slice(first, first + nParams).map((a) => Number(constValue(a) ?? 0));
    const prev = this.r.aggregations.get(name);
    if (prev === undefined) {
      try {
        createAggregation(name, s.func, params);
      } catch (e) {
        this.diags.report('D3013', s.funcSpan, [s.func, e instanceof Error ? e.message : String(e)]);
      }
      this.r.aggregations.set(name, { name, func: s.func, kind: f.kind, keyCount: s.keys.length, keyWidths: s.keys.map(keyWidth), params });
    } else if (prev.kind !== f.kind) this.diags.report('D3005', s.funcSpan, ['@' + s.name, s.func, prev.func]);
    else if (prev.keyCount !== s.keys.length) this.diags.report('D3006', s.nameSpan, ['@' + s.name, s.keys.length, prev.keyCount]);
    else if (!sameParams(f.kind, prev.params, params)) {
      this.diags.report('D4203', s.funcSpan, ['@' + s.name, s.func, ['…', ...params].join(', '), ['…', ...prev.params].join(', ')]);
    }
  }

  /** Checks `e` and what it contains; returns the type the typing pass gave it. */
  private expr(e: Expr): Type {
    this.check(e);
    return e.type ?? 'dyn';
  }

  private check(e: Expr): void {
    if (this.records !== null) this.recordAccess(e);
    switch (e.kind) {
      case 'int':
      case 'float':
        return;
      case 'agg':
        // Where an aggregation is an argument (printa, clear…), call() does not check it as a value.
        this.diags.report('D4202', e.span, ['@' + e.name]);
        return;
      case 'str':
        this.caps.add(Capability.Strings);
        return;
      case 'thisarg':
        this.caps.add(Capability.This);
        this.caps.add(Capability.LiveObjects);
        return;
      case 'ident': {
        if (e.ref?.kind !== 'builtin') return;
        const b = BUILTIN_VARS.get(e.name)!;
        if (b.needs !== undefined) this.caps.add(b.needs);
        return;
      }
      case 'self':
        this.caps.add(Capability.SelfVars);
        return;
      case 'this':
        return;
      case 'index':
        for (const k of e.keys) this.expr(k);
        if (e.ref?.kind === 'array') {
          if (e.target.kind === 'self') this.caps.add(Capability.SelfVars);
          this.arrayIndex(e);
        } else if (this.indexesUnassigned(e)) this.reportUnassignedIndex(e);
        else {
          this.asBase(e.target);
          const t = e.target.ctype;
          if (t?.kind === 'array' && e.keys.length === 1) this.constantIndexInBounds(e.keys[0]!, lvalueText(e.target), t.length);
          if (isMemory(e)) this.memoryValue(e);
        }
        return;
      case 'member':
        this.member(e);
        return;
      case 'sizeof':
        this.expr(e.operand);
        return;
      case 'xlate': {
        this.expr(e.operand);
        if (
          this.decls.translator(e.to, e.operand.ctype ?? DYN) === undefined &&
          !this.decls.translators.some((t) => t.to.name === e.to.name)
        ) {
          this.diags.report('D4111', e.span, [describeC(e.operand.ctype ?? DYN), describeC(e.to)]);
        }
        return;
      }
      case 'unary': {
        if (e.op === '&') {
          this.addressOf(e.operand);
          return;
        }
        const t = this.expr(e.operand);
        if (e.op === '*') this.deref(e);
        else if (e.op === 'cast') this.cast(e, e.operand.ctype ?? DYN, e.to!);
        else if (e.op !== '!' && t === 'string') this.diags.report('D4001', e.span, [e.op, 'a string']);
        else if (e.op !== '!' && t === 'struct') this.diags.report('D4001', e.span, [e.op, 'a struct']);
        else if (e.op === '~' && t === 'float') this.diags.report('D4001', e.span, [e.op, 'a floating-point value']);
        return;
      }
      case 'update':
        // assignTo refuses `++`/`--` of a string, struct, union or array (D4001).
        this.assignTo(e.target, 'int', e.span, e.op);
        return;
      case 'binary': {
        const spine = leftSpine(e);
        this.expr(spine[0]!.left);
        for (const b of spine) this.binary(b, b.left.type ?? 'dyn', this.expr(b.right));
        return;
      }
      case 'ternary': {
        this.expr(e.cond);
        const a = this.expr(e.then);
        const b = this.expr(e.else);
        if (a !== b && a !== 'dyn' && b !== 'dyn' && !(isNumber(a) && isNumber(b)))
          this.diags.report('D4002', e.span, [describe(a), describe(b)]);
        return;
      }
      case 'assign': {
        const v = this.expr(e.value);
        if (e.op !== '=' && v === 'string') this.diags.report('D4001', e.span, [e.op, 'a string']);
        else if (e.op !== '=' && v === 'struct') this.diags.report('D4001', e.span, [e.op, 'a struct']);
        else if (e.op === '=') this.assignTo(e.target, v, e.span, e.op, e.value.ctype ?? DYN, isZero(e.value));
        else this.assignTo(e.target, 'int', e.span, e.op);
        return;
      }
      case 'call':
        this.call(e);
    }
  }

  /** `(type)expr`: between scalar types, to string from a string or a program value, to a struct from the same struct. */
  private cast(e: Expr, from: CType, to: CType): void {
    if (from.kind === 'dyn' || from.kind === 'void') return;
    const scalar = (t: CType): boolean => asInt(t) !== null || t.kind === 'float';
    const ok =
      (scalar(to) && scalar(from)) || (to.kind === 'string' && from.kind === 'string') || to.kind === 'void' || to.name === from.name;
    if (!ok) this.diags.report('D4105', e.span, [describeC(from), describeC(to)]);
  }

  /** `a[i]` of a declared array: a constant index is checked here, any other at run time. */
  private arrayIndex(e: Extract<Expr, { kind: 'index' }>): void {
    const d = this.decls.vars.get(e.ref!.name);
    if (d === undefined) return;
    if (d.type.kind === 'array') {
      if (e.keys.length !== 1) {
        this.diags.report('D3006', e.span, [e.ref!.name, e.keys.length, 1]);
        return;
      }
      const v = this.constantIndexInBounds(e.keys[0]!, e.ref!.name, d.type.length);
      if (v === null && asInt(e.keys[0]!.ctype ?? DYN) === null && e.keys[0]!.type !== 'dyn') {
        this.diags.report('D4119', e.keys[0]!.span, [e.ref!.name, describeC(e.keys[0]!.ctype ?? DYN)]);
      }
    } else if (d.keys !== undefined) {
      if (e.keys.length !== d.keys.length) {
        this.diags.report('D3006', e.span, [e.ref!.name, e.keys.length, d.keys.length]);
        return;
      }
      e.keys.forEach((k, i) => {
        const want = d.keys![i]!;
        const got = k.ctype ?? DYN;
        if (got.kind !== 'dyn' && !assignable(want, got)) this.diags.report('D4119', k.span, [e.ref!.name, describeC(got)]);
      });
    }
  }

  /**
   * A constant index into a C array, of any variable or member: out of range is D4104, as DTrace
   * for Linux's D_ARR_BOUNDS (dt_parser.c, operator `+` of `E1[E2]`); the index's value, or null.
   */
  private constantIndexInBounds(key: Expr, name: string, length: number): bigint | null {
    const v = constEval(key, this.decls);
    if (v !== null && (v < 0n || v >= BigInt(length))) this.diags.report('D4104', key.span, [String(v), name, length]);
    return v;
  }

  /** `e` as the target of a member access or an index: a struct or array in memory may be one. */
  private asBase(e: Expr): void {
    const outer = this.base;
    this.base = e;
    this.expr(e);
    this.base = outer;
  }

  /**
   * `self->a[k]` or `this->a[k]` of a variable that no assignment or declaration gives a value
   * (a `self->` associative array is one its element stores make): D4128.
   */
  private indexesUnassigned(e: Extract<Expr, { kind: 'index' }>): boolean {
    return (e.target.kind === 'self' || e.target.kind === 'this') && !this.r.varTypes.has(varKey(e.target));
  }

  /** D4128, with the declaration that would do: a `self->` associative array keyed as here, or a `this->` fixed-size array. */
  private reportUnassignedIndex(e: Extract<Expr, { kind: 'index' }>): void {
    const v = e.target as Extract<Expr, { kind: 'self' | 'this' }>;
    const keys = e.keys.map((k) => (k.ctype === undefined || k.ctype.kind === 'dyn' ? 'int' : k.ctype.name)).join(', ');
    this.diags.report('D4128', e.span, [lvalueText(v), v.kind === 'self' ? `self int ${v.name}[${keys}];` : `this int ${v.name}[N];`]);
  }

  /** `*p`: `p` must be a pointer, and not to void. */
  private deref(e: Extract<Expr, { kind: 'unary' }>): void {
    const t = e.operand.ctype ?? DYN;
    if (t.kind !== 'ptr') this.diags.report('D4120', e.span, [describeC(t)]);
    else if (t.to.kind === 'void') this.diags.report('D4121', e.span);
    else this.memoryValue(e);
  }

  /** A read or write of memory is of a scalar or string, or of a struct, union or array of those: not of an incomplete type. */
  private memoryValue(e: Expr): void {
    if (this.base === e) return;
    const t = e.ctype ?? DYN;
    if (wholeInMemory(t) || t.kind === 'dyn') return;
    const what = t.kind === 'array' ? 'an array' : t.kind === 'struct' || t.kind === 'union' ? `a ${t.kind}` : describeC(t);
    this.diags.report('D4127', e.span, [lvalueText(e), what]);
  }

  /** `&x`: of memory only (DTrace's refusals first: a D variable, a non-lvalue, a bit-field). */
  private addressOf(o: Expr): void {
    const outer = this.base;
    this.base = o;
    this.expr(o);
    this.base = outer;
    if (o.kind === 'ident' && o.ref?.kind !== 'const' && o.ref?.kind !== 'inline') this.diags.report('D4123', o.span, [o.name]);
    else if (o.kind === 'self' || o.kind === 'this' || (o.kind === 'index' && o.ref?.kind === 'array' && o.ref.inMemory !== true)) {
      this.diags.report('D4123', o.span, [lvalueText(o)]);
    } else if (o.kind !== 'member' && o.kind !== 'index' && !(o.kind === 'unary' && o.op === '*')) this.diags.report('D4124', o.span);
    else if (o.kind === 'member' && memberOf(o)?.bits !== undefined) this.diags.report('D4125', o.span, [o.name]);
    else if (!isMemory(o)) this.diags.report('D4126', o.span, [lvalueText(o)]);
  }

  /** `s.m` of a struct or union of the program's checks `m`; on a value of the traced program it reads a property. */
  private member(e: Extract<Expr, { kind: 'member' }>): void {
    this.asBase(e.target);
    // A bit-field through a pointer is a scalar (`&p->bits` has its own refusal, D4125).
    if (isMemory(e) && memberOf(e)?.bits === undefined) this.memoryValue(e);
    const t = e.target.ctype ?? DYN;
    if (t.kind === 'dyn') {
      this.caps.add(Capability.LiveObjects);
      return;
    }
    const s = e.arrow && t.kind === 'ptr' ? t.to : t;
    if (s.kind !== 'struct' && s.kind !== 'union') {
      this.diags.report('D4107', e.span, [e.arrow ? '->' : '.', describeC(t)]);
      return;
    }
    if (s.members !== null && !s.members.some((m) => m.name === e.name)) {
      this.diags.report('D4106', e.nameSpan, [s.name, e.name], {
        suffix: didYouMean(
          e.name,
          s.members.map((m) => m.name),
        ),
      });
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>, l: Type, r: Type): void {
    for (const side of [e.left.ctype, e.right.ctype]) {
      if ((e.op === '+' || e.op === '-') && side?.kind === 'ptr' && side.to.kind === 'void') {
        this.diags.report('D4122', e.span, [e.op, describeC(side)]);
        return;
      }
    }
    if (l === 'struct' || r === 'struct') {
      this.diags.report('D4001', e.span, [e.op, 'a struct']);
      return;
    }
    if (INT_OPS.has(e.op)) {
      if (l === 'string' || r === 'string') this.diags.report('D4001', e.span, [e.op, 'a string']);
      else if ((l === 'float' || r === 'float') && !FLOAT_OPS.has(e.op))
        this.diags.report('D4001', e.span, [e.op, 'a floating-point value']);
      if ((e.op === '/' || e.op === '%') && constValue(e.right) === 0) this.diags.report('D4013', e.right.span);
    } else if (
      COMPARE_OPS.has(e.op) &&
      l !== 'dyn' &&
      r !== 'dyn' &&
      l !== r &&
      !(isNumber(l) && isNumber(r)) &&
      !isNullComparison(e, l, r) &&
      e.left.kind !== 'agg' &&
      e.right.kind !== 'agg'
    ) {
      this.diags.report('D4002', e.span, [describe(l), describe(r)]);
    }
  }

  /** On a stable provider's probe: `args[0].FIELD` must be a field of its record, and there is no `args[1]`. */
  private recordAccess(e: Expr): void {
    const n = argumentIndex(e);
    if (n !== null && n >= 1) {
      const r = this.records![0]!;
      this.diags.report('D3015', e.span, [r.provider, r.type, e.kind === 'ident' ? e.name : `args[${n}]`]);
      return;
    }
    if (e.kind !== 'member' || !isRecord(e.target)) return;
    for (const r of this.records!) {
      const fields = RECORDS[r.type];
      if (Object.hasOwn(fields, e.name)) continue;
      this.diags.report('D3014', e.nameSpan, [r.type, e.name], { suffix: didYouMean(e.name, Object.keys(fields)) });
      return;
    }
  }

  /** An assignment of a `value`-typed value: the variable's type was declared or fixed by its first assignment. */
  private assignTo(target: Expr, value: Type, span: Expr['span'], op: string, valueC: CType = DYN, fromZero = false): void {
    if (target.kind === 'index') for (const k of target.keys) this.expr(k);
    if (target.kind === 'self' || (target.kind === 'index' && target.target.kind === 'self')) this.caps.add(Capability.SelfVars);
    if (target.kind === 'unary') {
      this.expr(target);
      if (target.type === 'dyn' || target.type === undefined) return;
    } else if (target.kind === 'member' || (target.kind === 'index' && target.ref?.kind !== 'array')) {
      this.expr(target);
      const base = target.kind === 'member' ? target.target : (target as Extract<Expr, { kind: 'index' }>).target;
      if (base.ctype === undefined || base.ctype.kind === 'dyn') {
        if (!(target.kind === 'index' && this.indexesUnassigned(target))) this.diags.report('D4118', target.span, [lvalueText(target)]);
        return;
      }
      // An element is stored into an array or through a pointer; a string's characters are read-only.
      if (target.kind === 'index' && base.ctype.kind !== 'array' && base.ctype.kind !== 'ptr') {
        this.diags.report('D2005', target.span, [lvalueText(target)]);
        return;
      }
      if (target.type === 'dyn' || target.type === undefined) return;
    } else if (target.kind === 'index') this.arrayIndex(target);
    const heldC =
      target.kind === 'member' || target.kind === 'index' || target.kind === 'unary'
        ? (target.ctype ?? DYN)
        : this.r.varTypes.get(varKey(target));
    if (heldC === undefined || heldC.kind === 'dyn' || value === 'void' || value === 'dyn') return;
    const held = coarse(heldC);
    if (op !== '=' && (held === 'string' || held === 'struct'))
      this.diags.report('D4001', span, [
        op,
        held === 'string' ? 'a string' : heldC.kind === 'array' ? 'an array' : `a ${heldC.kind === 'union' ? 'union' : 'struct'}`,
      ]);
    else if (op !== '=' && held === 'float' && !FLOAT_OPS.has(op.slice(0, -1)) && op !== '++' && op !== '--') {
      this.diags.report('D4001', span, [op, 'a floating-point value']);
    } else if (op === '=' && !assignable(heldC, valueC.kind === 'dyn' ? (value === 'int' ? heldC : valueC) : valueC, fromZero)) {
      this.diags.report('D4004', span, [displayName(target), describeC(heldC), describeC(valueC)]);
    } else if (value !== held && !(isNumber(value) && isNumber(held)) && valueC.kind === 'dyn') {
      this.diags.report('D4004', span, [displayName(target), describe(held), describe(value)]);
    }
  }

  private call(e: Extract<Expr, { kind: 'call' }>): void {
    const f = BUILTIN_FUNCS.get(e.name);
    const types = e.args.map((a, i) => (a.kind === 'agg' && takesAggregation(e.name, i) ? 'void' : this.expr(a)));
    if (f === undefined) return;
    if (f.needs !== undefined) this.caps.add(f.needs);
    const max = f.variadic === true ? Infinity : f.params.length;
    if (e.args.length < f.min || e.args.length > max) {
      const want = f.variadic === true ? `at least ${f.min}` : f.min === max ? String(f.min) : `${f.min} to ${max}`;
      this.diags.report('D3004', e.nameSpan, [e.name, want, e.args.length]);
    }
    e.args.forEach((a, i) => {
      const want = f.params[i] ?? 'any';
      const got = types[i]!;
      if (want === 'const' && a.kind !== 'str') this.diags.report('D4005', a.span, [e.name]);
      else if (want === 'agg' && a.kind !== 'agg') this.diags.report('D4010', a.span, [i + 1, e.name]);
      else if (want === 'string' && isNull(a)) return;
      else if ((want === 'int' || want === 'string') && got !== 'dyn' && got !== want && got !== 'void') {
        this.diags.report('D4003', a.span, [i + 1, e.name, describe(want), describe(got)]);
      }
    });
    this.action(e);
  }

  private action(e: Extract<Expr, { kind: 'call' }>): void {
    const name = e.name;
    const records = name === 'trace' || name === 'printf' || name === 'printa' || name === 'print';
    // DTrace's order rules within one clause (dt_cc.c): speculate() first, commit() last.
    if (name === 'speculate') {
      if (this.speculative) this.diags.report('D4204', e.span, ['`speculate()`', '`speculate()`']);
      else if (this.committed) this.diags.report('D4204', e.span, ['`speculate()`', '`commit()`']);
      else if (this.recorded || this.aggregated) this.diags.report('D4011', e.span, [name]);
      this.speculative = true;
    } else if (name === 'commit') {
      if (this.committed) this.diags.report('D4204', e.span, ['`commit()`', '`commit()`']);
      else if (this.recorded || this.aggregated) this.diags.report('D4204', e.span, ['`commit()`', 'data-recording actions']);
      this.committed = true;
    } else if (name === 'exit' && this.speculative) this.diags.report('D4012', e.span);
    else if (records && this.committed) this.diags.report('D4204', e.span, [`\`${name}()\`, a data-recording action,`, '`commit()`']);
    if (records) this.recorded = true;
    if (name === 'printa' || name === 'print' || name === 'trace') {
      for (const a of e.args) if (a.kind === 'agg') this.r.printedByProgram.add(a.name || '_');
    }
    if (name === 'printf' || name === 'printa') this.format(e);
    if (name === 'setopt' && e.args[0]?.kind === 'str') {
      const v = e.args[1];
      checkOption(e.args[0].value, v?.kind === 'str' ? v.value : '', e.args[0].span, this.diags, null);
    }
  }

  private format(e: Extract<Expr, { kind: 'call' }>): void {
    const first = e.args[0];
    if (first === undefined || first.kind !== 'str') {
      if (e.name === 'printa') {
        for (const a of e.args) if (a.kind !== 'agg') this.diags.report('D4010', a.span, [e.args.indexOf(a) + 1, e.name]);
      }
      return;
    }
    let fmt: CompiledFormat;
    try {
      fmt = compileFormat(first.value);
    } catch (err) {
      this.diags.report('D4007', first.span, [err instanceof Error ? err.message : String(err)]);
      return;
    }
    if (e.name === 'printf') {
      if (fmt.aggCount > 0) this.diags.report('D4008', first.span);
      const want = fmt.argTypes.length;
      if (want !== e.args.length - 1) this.diags.report('D4006', e.span, [e.name, want, e.args.length - 1]);
      else checkFormatArgs(e.name, fmt, e.args.slice(1), this.diags);
    } else {
      e.args.slice(1).forEach((a, i) => {
        if (a.kind !== 'agg') this.diags.report('D4010', a.span, [i + 2, e.name]);
      });
    }
  }
}

/** The constant 0 or NULL: the one integer a pointer may be assigned, as in C and D. */
function isZero(e: Expr): boolean {
  return (e.kind === 'int' && BigInt(e.value) === 0n) || isNull(e);
}

/** `s == NULL` and `s != NULL` on a string: whether it is the null string. */
function isNullComparison(e: Extract<Expr, { kind: 'binary' }>, l: Type, r: Type): boolean {
  if (e.op !== '==' && e.op !== '!=') return false;
  return (l === 'string' && isNull(e.right)) || (r === 'string' && isNull(e.left));
}

/** Whether argument `i` of `name` is an aggregation's place: printa's, print's (bpftrace's alias), clear's… */
function takesAggregation(name: string, i: number): boolean {
  if (name === 'printa') return true;
  if (name === 'print') return i === 0;
  return BUILTIN_FUNCS.get(name)?.params[i] === 'agg';
}

/** Two uses' constant parameters agree; lquantize's step defaults to 1. */
function sameParams(kind: string, a: readonly number[], b: readonly number[]): boolean {
  const full = (p: readonly number[]): readonly number[] => (kind === 'lquantize' && p.length === 2 ? [...p, 1] : p);
  const x = full(a);
  const y = full(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function displayName(e: Expr): string {
  const key = varKey(e);
  return key === '?' ? lvalueText(e) : key;
}

function describe(t: string): string {
  switch (t) {
    case 'int':
      return 'an integer';
    case 'string':
      return 'a string';
    case 'void':
      return 'no value';
    case 'float':
      return 'a floating-point value';
    case 'struct':
      return 'a struct';
    default:
      return 'a value';
  }
}

/** A D type in a message: `int`, `uint32_t`, `struct foo`. */
function describeC(t: CType): string {
  if (t.kind === 'dyn') return 'a value';
  if (t.kind === 'void') return 'no value';
  return `\`${t.name}\``;
}

function isNumber(t: string): boolean {
  return t === 'int' || t === 'float';
}

/** The value of an integer constant expression (literals and unary minus), else null. */
export function constValue(e: Expr): number | bigint | null {
  if (e.kind === 'int') return e.value;
  if (e.kind === 'unary' && e.op === '-') {
    const v = constValue(e.operand);
    return v === null ? null : typeof v === 'bigint' ? -v : -v;
  }
  return null;
}

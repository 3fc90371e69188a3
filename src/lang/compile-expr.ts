import type { Expr, Type } from './ast.js';
import { arithmetic, convert, unaryArithmetic } from './compile-convert.js';
import { arithmeticType, asInt, coarse, DYN, INT64, scalarKind, sizeOf, unaryType, type CType, type StructType } from './ctypes.js';
import { isMemory, memberOf } from './memory.js';
import { bitField, MemoryCodecs } from './compile-memory.js';
import { binaryType } from './types.js';
import { BUILTIN_VARS, isNull } from './builtins.js';
import type { CheckResult } from './check.js';
import { varKey } from './types.js';
import { leftSpine } from './walk.js';
import { builtinCall, builtinVariable } from './compile-builtins.js';
import type { Names } from './resolve.js';

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
    this.memory = new MemoryCodecs(checked.decls.strsize);
  }

  /** The size of the string type, `char [strsize]`. */
  private get strsize(): number {
    return this.checked.decls.strsize;
  }

  /** An action (printf, exit…) as a statement; `spec` when the clause speculates. */
  protected abstract exprStmt(e: Expr, spec: boolean): string;

  /** Struct and union types whose values the program makes, by the index of their factory `S{i}`. */
  protected readonly structTypes: StructType[] = [];

  /** Readers and writers of whole structs, unions and arrays in scratch memory. */
  protected readonly memory: MemoryCodecs;

  protected ctypeOfVar(key: string): CType {
    return this.checked.varTypes.get(key) ?? DYN;
  }

  protected typeOfVar(key: string): Type {
    return coarse(this.ctypeOfVar(key));
  }

  protected defaultOf(key: string): string {
    return this.defaultFor(this.ctypeOfVar(key));
  }

  /** The value an unassigned variable of type `t` reads as. */
  protected defaultFor(t: CType): string {
    if (t.kind === 'string') return '""';
    if (t.kind === 'struct' || t.kind === 'union') return `${this.structFactory(t)}()`;
    if (t.kind === 'array') return `[${Array.from({ length: t.length }, () => this.defaultFor(t.of)).join(', ')}]`;
    return '0';
  }

  protected structFactory(t: StructType): string {
    let i = this.structTypes.indexOf(t);
    if (i < 0) i = this.structTypes.push(t) - 1;
    return `S${i}`;
  }

  /** `e` converted to type `t`. */
  protected as(e: Expr, t: CType): string {
    return convert(this.expr(e), e.ctype ?? DYN, t);
  }

  protected int(e: Expr): string {
    const c = this.expr(e);
    if (e.type === 'int') return c;
    return e.type === 'float' ? `f2i(${c})` : `toInt(${c})`;
  }

  protected num(e: Expr): string {
    const c = this.expr(e);
    if (e.type === 'float') return c;
    return e.type === 'int' ? `Number(${c})` : `toNum(${c})`;
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
    return e.type === 'int' || e.type === 'float' ? `(${c} !== 0)` : `truthy(${c})`;
  }

  private boolBinary(e: Extract<Expr, { kind: 'binary' }>): string {
    if (e.op === '&&' || e.op === '||') return this.logicalChain(e);
    if (e.op === '^^') return `(${this.bool(e.left)} !== ${this.bool(e.right)})`;
    const lt = e.left.type;
    const rt = e.right.type;
    const l = this.expr(e.left);
    const r = this.expr(e.right);
    const op = e.op === '==' ? '===' : e.op === '!=' ? '!==' : e.op;
    if ((lt === 'int' || lt === 'float') && (rt === 'int' || rt === 'float')) {
      const common = arithmeticType(e.left.ctype ?? INT64, e.right.ctype ?? INT64);
      return `(${convert(l, e.left.ctype ?? INT64, common)} ${op} ${convert(r, e.right.ctype ?? INT64, common)})`;
    }
    if (lt === rt && lt === 'string') return `(${l} ${op} ${r})`;
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
      case 'float':
        return Number.isFinite(e.value) ? String(e.value) : 'Infinity';
      case 'sizeof':
        return String(sizeOf(e.operand.ctype ?? DYN, this.strsize));
      case 'xlate':
        return this.xlate(e);
      case 'str':
        return JSON.stringify(e.value);
      case 'agg':
        return '0';
      case 'thisarg':
        return 'nv(ev.thisArg)';
      case 'ident':
        return this.ident(e);
      case 'self':
        if (isMemory(e)) return this.load(e);
        return `ss[${this.selfIndex.get(e.name)!}]`;
      case 'this':
        if (isMemory(e)) return this.load(e);
        return `t_${e.name}`;
      case 'index':
        return this.index(e);
      case 'member': {
        if (isMemory(e)) return this.load(e);
        const t = e.target.ctype ?? DYN;
        const st = e.arrow && t.kind === 'ptr' ? t.to : t;
        if (st.kind === 'struct' || st.kind === 'union') return `${this.expr(e.target)}.${e.name}`;
        return `readMember(${this.expr(e.target)}, ${JSON.stringify(e.name)})`;
      }
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
    if (isMemory(e)) return this.load(e);
    if (ref.kind === 'global') return `g_${e.name}`;
    if (ref.kind === 'const') return String(this.checked.decls.enumerators.get(e.name)!.value);
    if (ref.kind === 'param') return `p_${e.name}`;
    if (ref.kind === 'inline') {
      const inl = this.checked.decls.inlines.get(e.name)!;
      return convert(this.expr(inl.expr), inl.expr.ctype ?? DYN, inl.type);
    }
    if (ref.kind === 'array') return '0';
    if (!BUILTIN_VARS.has(e.name)) return '0';
    return builtinVariable(e.name);
  }

  protected keyOf(keys: Expr[]): string {
    if (keys.length === 1) return `toKey(${this.expr(keys[0]!)})`;
    return `tupleKey([${keys.map((k) => this.expr(k)).join(', ')}])`;
  }

  /** The key of an element of a declared or undeclared array; a declared scalar array's is bounds-checked. */
  protected arrayKey(e: Extract<Expr, { kind: 'index' }>): string {
    const d = this.checked.decls.vars.get(e.ref!.name);
    if (d?.type.kind === 'array') return `bound(${this.int(e.keys[0]!)}, ${d.type.length}, ${JSON.stringify(d.name)})`;
    return this.keyOf(e.keys);
  }

  /** The Map of an associative array's elements to read: a global's, or this context's `self->` one. */
  private arrayToRead(e: Extract<Expr, { kind: 'index' }>): string {
    if (e.target.kind === 'self') return `smr(ss[${this.selfIndex.get(e.target.name)!}])`;
    return `a_${e.ref!.name}`;
  }

  /** The Map of an associative array's elements to store into: a `self->` one is this context's own (selfWrite). */
  private arrayToWrite(e: Extract<Expr, { kind: 'index' }>): string {
    if (e.target.kind === 'self') return `smw(${this.selfSlots()}, ${this.selfIndex.get(e.target.name)!}, dv, sd)`;
    return `a_${e.ref!.name}`;
  }

  private index(e: Extract<Expr, { kind: 'index' }>): string {
    if (isMemory(e)) return this.load(e);
    if (e.ref?.kind === 'array') {
      return `(${this.arrayToRead(e)}.get(${this.arrayKey(e)}) ?? ${this.defaultOf(varKey(e))})`;
    }
    const tt = e.target.ctype;
    if (tt?.kind === 'array') return `${this.expr(e.target)}[bound(${this.int(e.keys[0]!)}, ${tt.length}, "array")]`;
    if (e.target.kind === 'ident' && e.target.ref?.kind === 'builtin' && e.target.name === 'args') {
      return `argAt(ev.args, ${this.int(e.keys[0]!)})`;
    }
    if (e.target.type === 'string') return `S.charAt(${this.expr(e.target)}, ${this.int(e.keys[0]!)}, rt.strsize)`;
    return `readMember(${this.expr(e.target)}, toKey(${this.expr(e.keys[0]!)}))`;
  }

  private unary(e: Extract<Expr, { kind: 'unary' }>): string {
    const t = e.ctype ?? INT64;
    switch (e.op) {
      case '!':
        return `(${this.bool(e)} ? 1 : 0)`;
      case '-':
      case '~':
        return unaryArithmetic(e.op, this.as(e.operand, t), t);
      case '+':
        return this.as(e.operand, t);
      case '*':
        return this.load(e);
      case '&':
        return this.address(e.operand, 'own');
      default:
        if (t.kind === 'void') return `(${this.expr(e.operand)}, 0)`;
        return this.as(e.operand, t);
    }
  }

  /**
   * A value in memory (a scalar, or a struct, union or array of those): read from its address,
   * or a fault. A part of a `self->` or `this->` variable that holds no bytes yet reads as 0,
   * as the variable does when it is not in memory.
   */
  private load(e: Expr): string {
    const m = e.kind === 'member' ? memberOf(e) : undefined;
    const t = e.ctype ?? DYN;
    const k = scalarKind(t);
    const at = this.address(e);
    const read =
      m?.bits !== undefined
        ? `rt.scratch.loadBits(${at}, ${bitField(m)})`
        : k !== null
          ? `rt.scratch.load(${at}, "${k}")`
          : `${this.memory.reader(t)}(${at})`;
    const root = dynamicRoot(e);
    return root === null ? read : `(${this.variableBytes(root)} instanceof Uint8Array ? ${read} : ${this.defaultFor(t)})`;
  }

  /** What a `self->` or `this->` variable in memory holds: its bytes, or its default before its first write. */
  private variableBytes(v: Extract<Expr, { kind: 'self' | 'this' }>): string {
    return v.kind === 'self' ? `ss[${this.selfIndex.get(v.name)!}]` : `t_${v.name}`;
  }

  /**
   * The address of a memory lvalue (memory.ts): `*p` is at `p`, `p[i]` at `p + i * size`, `p->m`
   * at `p + offset`. A `self->` or `this->` variable's bytes are at an address while they live;
   * before they exist its address is 0, as DTrace's is (so `&self->s.m` then is a bad address),
   * unless `write`, which makes them (zeroed) for the store. `&` (`own`) and a store take this
   * context's own `self->` bytes (SelfStore copies inherited ones on write), so that a store
   * through the pointer never reaches the context they were inherited from.
   */
  private address(e: Expr, write: AddressUse = 'read'): string {
    switch (e.kind) {
      case 'unary':
        return this.expr(e.operand);
      case 'ident':
        // A global that lives in memory (addressed.ts): its address is fixed for the run.
        return String(this.names.statics.get(e.name)!.address);
      case 'self': {
        const i = this.selfIndex.get(e.name)!;
        if (write === 'read') return `vaddr(rt.scratch, ${this.variableBytes(e)})`;
        if (write === 'own') return `vaddr(rt.scratch, ${this.selfSlots()}[${i}])`;
        return `vaddr(rt.scratch, sbytes(${this.selfSlots()}, ${i}, ${sizeOf(e.ctype ?? DYN, this.strsize)}, dv, sd))`;
      }
      case 'this': {
        const v = this.variableBytes(e);
        if (write !== 'write') return `vaddr(rt.scratch, ${v})`;
        return `vaddr(rt.scratch, ${v} instanceof Uint8Array ? ${v} : (${v} = new Uint8Array(${sizeOf(e.ctype ?? DYN, this.strsize)})))`;
      }
      case 'index': {
        const base = e.target.ctype?.kind === 'ptr' ? this.expr(e.target) : this.address(e.target, write);
        const size = sizeOf(e.ctype ?? DYN, this.strsize);
        // A declared D array's index is checked against its length, as it is when not in memory.
        const i = e.ref?.kind === 'array' ? this.arrayKey(e) : this.int(e.keys[0]!);
        return `add(${base}, ${size === 1 ? i : `mul(${i}, ${size})`})`;
      }
      case 'member': {
        const base = e.arrow ? this.expr(e.target) : this.address(e.target, write);
        const offset = memberOf(e)?.offset ?? 0;
        return offset === 0 ? base : `add(${base}, ${offset})`;
      }
      default:
        return this.expr(e);
    }
  }

  /**
   * `p +/- i` and `p - q` as C computes them: the integer is scaled by the size of what the
   * pointer points to, and the difference of two pointers is in elements.
   */
  private pointerArithmetic(op: string, l: string, lt: CType, r: string, rt: CType, t: CType): string {
    if (lt.kind === 'ptr' && rt.kind === 'ptr') {
      const bytes = arithmetic('-', convert(l, lt, INT64), convert(r, rt, INT64), INT64);
      return arithmetic('/', bytes, String(Math.max(1, sizeOf(lt.to, this.strsize))), INT64);
    }
    const [p, pt, i, it] = lt.kind === 'ptr' ? [l, lt, r, rt] : [r, rt, l, lt];
    const size = pt.kind === 'ptr' ? sizeOf(pt.to, this.strsize) : 1;
    const n = convert(i, it, INT64);
    const scaled = size === 1 ? n : arithmetic('*', n, String(size), INT64);
    return arithmetic(op, convert(p, pt, t), convert(scaled, INT64, t), t);
  }

  /** `xlate <T> (x)`: the translator's function `X{i}` builds the translated struct. */
  private xlate(e: Extract<Expr, { kind: 'xlate' }>): string {
    const decls = this.checked.decls;
    const tr = decls.translator(e.to, e.operand.ctype ?? DYN) ?? decls.translators.find((t) => t.to.name === e.to.name)!;
    return `X${decls.translators.indexOf(tr)}(ev, ${this.expr(e.operand)})`;
  }

  /**
   * A binary operation. A long chain (`1 + 1 + ... + 1` nests to the left) becomes
   * `($c = 1 + 1, $c = $c + 1, ..., $c)`: each step reads `$c` before its right operand, which
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
    const t = e.ctype ?? INT64;
    const lt = e.left.ctype ?? DYN;
    const rt = e.right.ctype ?? DYN;
    if ((e.op === '+' || e.op === '-') && (lt.kind === 'ptr' || rt.kind === 'ptr')) {
      return this.pointerArithmetic(e.op, this.expr(e.left), lt, this.expr(e.right), rt, t);
    }
    const shift = e.op === '<<' || e.op === '>>';
    return arithmetic(e.op, this.as(e.left, t), this.as(e.right, shift ? INT64 : t), t);
  }

  /** The type a store into `target` converts to. */
  private targetType(target: Expr): CType {
    if (isMemory(target)) return target.ctype ?? DYN;
    if (target.kind === 'member' || target.kind === 'unary' || (target.kind === 'index' && target.ref?.kind !== 'array'))
      return target.ctype ?? DYN;
    return this.ctypeOfVar(varKey(target));
  }

  private assign(target: Expr, op: string, value: Expr): string {
    const t = this.targetType(target);
    if (op === '=') return this.store(target, convert(this.expr(value), value.ctype ?? DYN, t));
    const base = op.slice(0, -1);
    const r = binaryType(base, t.kind === 'dyn' ? INT64 : t, value.ctype ?? DYN);
    const shift = base === '<<' || base === '>>';
    if (target.kind === 'index' && target.ref?.kind === 'array' && !isMemory(target)) {
      const cur = `(${this.arrayToRead(target)}.get($k) ?? ${this.defaultOf(varKey(target))})`;
      const v = arithmetic(base, convert(cur, t, r), convert(this.expr(value), value.ctype ?? DYN, shift ? INT64 : r), r);
      return `($k = ${this.arrayKey(target)}, ${this.store(target, convert(v, r, t), '$k')})`;
    }
    const v =
      t.kind === 'ptr' && (base === '+' || base === '-')
        ? this.pointerArithmetic(base, this.expr(target), t, this.expr(value), value.ctype ?? DYN, t)
        : arithmetic(base, convert(this.expr(target), t, r), convert(this.expr(value), value.ctype ?? DYN, shift ? INT64 : r), r);
    return this.store(target, convert(v, r, t));
  }

  /** A store of `v` (already of the target's type) into `target`; `key` is the element's key when already computed. */
  private store(target: Expr, v: string, key?: string): string {
    if (isMemory(target)) {
      const m = target.kind === 'member' ? memberOf(target) : undefined;
      const at = this.address(target, 'write');
      if (m?.bits !== undefined) return `rt.scratch.storeBits(${at}, ${bitField(m)}, ${v})`;
      const t = target.ctype ?? DYN;
      const k = scalarKind(t);
      return k !== null ? `rt.scratch.store(${at}, "${k}", ${v})` : `${this.memory.writer(t)}(${at}, ${v})`;
    }
    switch (target.kind) {
      case 'ident':
        return `(g_${target.name} = ${v})`;
      case 'self':
        // The first write of a clause goes through selfWrite: it copies slots inherited from another execution.
        return `sset(${this.selfSlots()}, ${this.selfIndex.get(target.name)!}, ${v}, dv, sd)`;
      case 'this':
        return `(t_${target.name} = ${v})`;
      case 'index':
        if (target.ref?.kind === 'array') return `aset(${this.arrayToWrite(target)}, ${key ?? this.arrayKey(target)}, ${v}, dv)`;
        return this.memberStore(target, v);
      case 'member':
        return this.memberStore(target, this.bitField(target, v));
    }
    return v;
  }

  private selfSlots(): string {
    return '(sw ? ss : ((sw = true), (ss = rt.selfWrite())))';
  }

  /** A bit-field keeps the low `bits` bits of what is stored in it. */
  private bitField(target: Extract<Expr, { kind: 'member' }>, v: string): string {
    const t = target.target.ctype;
    const st = target.arrow && t?.kind === 'ptr' ? t.to : t;
    if (st?.kind !== 'struct' && st?.kind !== 'union') return v;
    const m = st.members?.find((x) => x.name === target.name);
    if (m?.bits === undefined || m.bits >= 32) return v;
    const s = 32 - m.bits;
    const it = asInt(m.type);
    return it?.signed === true ? `((${v} << ${s}) >> ${s})` : `((${v} << ${s}) >>> ${s})`;
  }

  /**
   * `s.a.b = v`, `s.arr[i] = v`: in place for globals and `this->`; a `self->` struct is copied
   * along the path (sput), since slots are shared with the execution they were inherited from.
   */
  private memberStore(target: Expr, v: string): string {
    const path: string[] = [];
    let root: Expr = target;
    for (;;) {
      if (root.kind === 'member') {
        path.unshift(JSON.stringify(root.name));
        root = root.target;
      } else if (root.kind === 'index' && root.ref?.kind !== 'array') {
        const tt = root.target.ctype;
        path.unshift(`bound(${this.int(root.keys[0]!)}, ${tt?.kind === 'array' ? tt.length : 0}, "array")`);
        root = root.target;
      } else break;
    }
    if (root.kind === 'self') {
      const i = this.selfIndex.get(root.name)!;
      return `($w = ${v}, sset(${this.selfSlots()}, ${i}, sput(ss[${i}], [${path.join(', ')}], $w), dv, sd), $w)`;
    }
    if (root.kind === 'index' && root.ref?.kind === 'array' && root.target.kind === 'self') {
      // An element of a self-> associative array may be shared with the context it was copied from: copied along the path too.
      const i = this.selfIndex.get(root.target.name)!;
      const element = `smr(ss[${i}]).get($k) ?? ${this.defaultOf(varKey(root))}`;
      return `($w = ${v}, $k = ${this.arrayKey(root)}, aset(${this.arrayToWrite(root)}, $k, sput(${element}, [${path.join(', ')}], $w), dv), $w)`;
    }
    let base = this.expr(root);
    if (root.kind === 'index' && root.ref?.kind === 'array') {
      const t = this.ctypeOfVar(varKey(root));
      if (t.kind === 'struct' || t.kind === 'union')
        base = `aobj(${this.arrayToWrite(root)}, ${this.arrayKey(root)}, ${this.structFactory(t)}, dv)`;
    }
    return `(${base}${path.map((p) => `[${p}]`).join('')} = ${v})`;
  }

  private update(e: Extract<Expr, { kind: 'update' }>): string {
    const t = this.targetType(e.target);
    const it = t.kind === 'dyn' ? INT64 : t;
    const r = unaryType(it);
    // `p++` steps a pointer by the size of what it points to.
    const step = it.kind === 'ptr' ? String(Math.max(1, sizeOf(it.to, this.strsize))) : '1';
    const next = convert(arithmetic(e.op === '++' ? '+' : '-', convert('$t', it, r), step, r), r, it);
    if (e.target.kind === 'index' && e.target.ref?.kind === 'array' && !isMemory(e.target)) {
      const cur = `(${this.arrayToRead(e.target)}.get($k) ?? ${this.defaultOf(varKey(e.target))})`;
      const stored = this.store(e.target, next, '$k');
      return `($k = ${this.arrayKey(e.target)}, $t = ${t.kind === 'dyn' ? `toInt(${cur})` : cur}, ${e.prefix ? stored : `${stored}, $t`})`;
    }
    const cur = t.kind === 'dyn' ? `toInt(${this.expr(e.target)})` : this.expr(e.target);
    const stored = this.store(e.target, next);
    return e.prefix ? `($t = ${cur}, ${stored})` : `($t = ${cur}, ${stored}, $t)`;
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

/** What an address is computed for: a load, `&` (this context's own bytes), or a store (which makes them). */
type AddressUse = 'read' | 'own' | 'write';

/** The `self->` or `this->` variable in memory whose part `e` is (not through a pointer), or null. */
function dynamicRoot(e: Expr): Extract<Expr, { kind: 'self' | 'this' }> | null {
  let x = e;
  while ((x.kind === 'member' && !x.arrow) || (x.kind === 'index' && x.target.ctype?.kind === 'array')) x = x.target;
  return (x.kind === 'self' || x.kind === 'this') && x.inMemory === true ? x : null;
}

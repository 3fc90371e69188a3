import type { Clause, Expr, Program, Stmt, Type } from './ast.js';
import { AGG_FUNCS, BUILTIN_VARS } from './builtins.js';
import { type CheckResult, varKey } from './check.js';
import { compileFormat } from '../aggregate/printf.js';
import type { Names } from './resolve.js';

/**
 * Generated code for the whole program: one factory that, given a runtime, returns one
 * function per clause. Built from the AST only: identifiers are D identifiers (letters,
 * digits, `_`) behind a prefix, every literal goes through JSON.stringify or is a number,
 * and probe descriptions never reach the code.
 */
export interface GeneratedProgram {
  readonly source: string;
  readonly selfVars: readonly string[];
  readonly selfDefaults: readonly (number | string)[];
  readonly aggregations: readonly string[];
}

const BIN_INT: Record<string, string> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'mod' };
const BIT_OPS: Record<string, number> = { '&': 0, '|': 1, '^': 2, '<<': 3, '>>': 4 };
const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);
const LOGICAL = new Set(['&&', '||', '^^']);

export function generate(program: Program, names: Names, checked: CheckResult): GeneratedProgram {
  return new Generator(program, names, checked).run();
}

class Generator {
  private readonly selfIndex = new Map<string, number>();
  private readonly aggIndex = new Map<string, number>();
  private readonly selfVars: string[];
  private readonly aggs: string[];

  constructor(
    private readonly program: Program,
    private readonly names: Names,
    private readonly checked: CheckResult,
  ) {
    this.selfVars = [...names.selfVars];
    this.selfVars.forEach((n, i) => this.selfIndex.set(n, i));
    this.aggs = [...names.aggregations];
    this.aggs.forEach((n, i) => this.aggIndex.set(n, i));
  }

  private typeOfVar(key: string): Type {
    return this.checked.varTypes.get(key) ?? 'dyn';
  }

  private defaultOf(key: string): string {
    return this.typeOfVar(key) === 'string' ? '""' : '0';
  }

  run(): GeneratedProgram {
    const out: string[] = [];
    for (const g of this.names.globals) out.push(`let g_${g} = ${this.defaultOf(g)};`);
    for (const a of this.names.arrays) out.push(`const a_${a} = new Map();`);
    for (const t of this.names.thisVars) out.push(`let t_${t} = ${this.defaultOf('this->' + t)};`);
    out.push('let thisEv = null;');
    this.aggs.forEach((_, i) => out.push(`const A${i} = rt.aggs[${i}];`));
    const fns = this.program.clauses.map((c) => this.clause(c));
    out.push(...fns);
    out.push(`return [${this.program.clauses.map((c) => `c${c.index}`).join(', ')}];`);
    return {
      source: out.join('\n'),
      selfVars: this.selfVars,
      selfDefaults: this.selfVars.map((n) => (this.typeOfVar('self->' + n) === 'string' ? '' : 0)),
      aggregations: this.aggs,
    };
  }

  private clause(c: Clause): string {
    const body: string[] = [];
    const uses = { self: false, this: false, spec: false };
    const scan = (e: Expr): void => {
      if (e.kind === 'self') uses.self = true;
      if (e.kind === 'this') uses.this = true;
      if (e.kind === 'call' && e.name === 'speculate') uses.spec = true;
      if ('target' in e && e.target !== undefined) scan(e.target);
      for (const k of childExprs(e)) scan(k);
    };
    if (c.predicate !== null) scan(c.predicate);
    for (const s of c.body) for (const e of s.kind === 'expr' ? [s.expr] : [...s.keys, ...s.args]) scan(e);
    if (uses.this) {
      const resets = [...this.names.thisVars].map((t) => `t_${t} = ${this.defaultOf('this->' + t)};`).join(' ');
      body.push(`if (ev !== thisEv) { thisEv = ev; ${resets} }`);
    }
    if (uses.self) body.push('let ss = rt.selfRead(), sw = false;');
    if (c.predicate !== null) body.push(`if (!${this.bool(c.predicate)}) return;`);
    body.push('let $t = 0;');
    if (uses.spec) body.push('let spec = 0;');
    for (const s of c.body) body.push(this.stmt(s, uses.spec));
    if (c.defaultAction) body.push('rt.probeLine(ev, 0);');
    return `function c${c.index}(ev) {\n  try {\n    ${body.join('\n    ')}\n  } catch (e) { rt.fault(${c.index}, e, ev); }\n}`;
  }

  private stmt(s: Stmt, spec: boolean): string {
    if (s.kind === 'expr') return this.exprStmt(s.expr, spec) + ';';
    const i = this.aggIndex.get(s.name || '_')!;
    const info = this.checked.aggregations.get(s.name || '_');
    const takesValue = info?.kind !== 'count';
    const f = AGG_FUNCS.get(s.func);
    const first = takesValue ? 1 : 0;
    const nParams = f === undefined ? 0 : Math.min(f.maxParams, Math.max(0, s.args.length - first));
    const incrAt = f?.takesIncr === true && s.args.length > first + nParams ? first + nParams : -1;
    const incrArg = incrAt >= 0 ? s.args[incrAt] : undefined;
    const value = takesValue && s.args.length > 0 ? this.int(s.args[0]!) : '0';
    const valueArgs =
      !takesValue && incrArg === undefined ? '' : `${value}${incrArg === undefined ? '' : `, Number(${this.int(incrArg)})`}`;
    const vArg = valueArgs === '' ? '' : `, ${valueArgs}`;
    if (s.keys.length === 0) return `A${i}.record0(${valueArgs});`;
    if (s.keys.length === 1) return `A${i}.record1(toKey(${this.expr(s.keys[0]!)})${vArg});`;
    return `A${i}.record([${s.keys.map((k) => `toKey(${this.expr(k)})`).join(', ')}]${vArg});`;
  }

  private exprStmt(e: Expr, spec: boolean): string {
    if (e.kind !== 'call') return this.expr(e);
    const a = e.args;
    const sp = spec ? 'spec' : '0';
    switch (e.name) {
      case 'trace':
      case 'print':
        return a[0]!.kind === 'agg' ? `rt.printa(null, [${this.aggRef(a[0]!)}], ${sp})` : `rt.trace(ev, ${this.expr(a[0]!)}, ${sp})`;
      case 'printf':
        return `rt.printf(ev, ${JSON.stringify(strValue(a[0]))}, [${this.formatArgs(strValue(a[0]), a.slice(1))}], ${sp})`;
      case 'printa': {
        const hasFmt = a[0]?.kind === 'str';
        const aggs = (hasFmt ? a.slice(1) : a).map((x) => this.aggRef(x));
        return `rt.printa(${hasFmt ? JSON.stringify(strValue(a[0])) : 'null'}, [${aggs.join(', ')}], ${sp})`;
      }
      case 'exit':
        return `rt.exit(${this.int(a[0]!)})`;
      case 'clear':
        return `rt.clear(${this.aggRef(a[0]!)})`;
      case 'trunc':
        return `rt.trunc(${this.aggRef(a[0]!)}${a[1] === undefined ? '' : `, Number(${this.int(a[1])})`})`;
      case 'normalize':
        return `rt.normalize(${this.aggRef(a[0]!)}, ${this.int(a[1]!)})`;
      case 'denormalize':
        return `rt.denormalize(${this.aggRef(a[0]!)})`;
      case 'setopt':
        return `rt.setopt(${JSON.stringify(strValue(a[0]))}, ${JSON.stringify(a[1] === undefined ? '' : strValue(a[1]))})`;
      case 'speculate':
        return spec ? `spec = Number(${this.int(a[0]!)})` : '0';
      case 'commit':
        return `rt.commit(Number(${this.int(a[0]!)}))`;
      case 'discard':
        return `rt.discard(Number(${this.int(a[0]!)}))`;
      default:
        return this.expr(e);
    }
  }

  private aggRef(e: Expr): number {
    return e.kind === 'agg' ? (this.aggIndex.get(e.name || '_') ?? 0) : 0;
  }

  /** printf arguments converted for their conversion: `%s` gets a string, numbers an integer. */
  private formatArgs(fmt: string, args: Expr[]): string {
    let wants: readonly string[] = [];
    try {
      wants = compileFormat(fmt).argTypes;
    } catch {
      // The checker has reported the format already.
    }
    return args
      .map((x, i) => {
        const w = wants[i] ?? 'int';
        if (w === 'string' || (w === 'char' && x.type === 'string')) return this.str(x);
        return this.int(x);
      })
      .join(', ');
  }

  private int(e: Expr): string {
    const c = this.expr(e);
    return e.type === 'int' ? c : `toInt(${c})`;
  }

  private str(e: Expr): string {
    const c = this.expr(e);
    return e.type === 'string' ? c : `ts(${c})`;
  }

  /** A JS boolean for D truth (non-zero). */
  private bool(e: Expr): string {
    if (e.kind === 'binary' && (COMPARE.has(e.op) || LOGICAL.has(e.op))) return this.boolBinary(e);
    if (e.kind === 'unary' && e.op === '!') return `(!${this.bool(e.operand)})`;
    const c = this.expr(e);
    return e.type === 'int' ? `(${c} !== 0)` : `truthy(${c})`;
  }

  private boolBinary(e: Extract<Expr, { kind: 'binary' }>): string {
    if (e.op === '&&') return `(${this.bool(e.left)} && ${this.bool(e.right)})`;
    if (e.op === '||') return `(${this.bool(e.left)} || ${this.bool(e.right)})`;
    if (e.op === '^^') return `(${this.bool(e.left)} !== ${this.bool(e.right)})`;
    const lt = e.left.type;
    const rt = e.right.type;
    const l = this.expr(e.left);
    const r = this.expr(e.right);
    const op = e.op === '==' ? '===' : e.op === '!=' ? '!==' : e.op;
    if (lt === rt && (lt === 'int' || lt === 'string')) return `(${l} ${op} ${r})`;
    if (e.op === '==') return `looseEq(${l}, ${r})`;
    if (e.op === '!=') return `(!looseEq(${l}, ${r}))`;
    return `(compare(${l}, ${r}) ${e.op} 0)`;
  }

  expr(e: Expr): string {
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
    const m = /^arg([0-9])$/.exec(e.name);
    if (m !== null) return `argAt(ev.args, ${m[1]})`;
    switch (e.name) {
      case 'args':
        return 'ev.args';
      case 'retval':
        return 'nv(ev.retval)';
      case 'errno':
        return 'rt.errno(ev)';
      case 'errmsg':
        return 'rt.errmsg(ev)';
      case 'timestamp':
        return 'ev.timestamp';
      case 'elapsed':
        return 'ev.elapsed';
      case 'vtimestamp':
        return 'rt.vtimestamp()';
      case 'walltimestamp':
        return 'rt.walltimestamp()';
      case 'tid':
        return 'ev.tid';
      case 'activity':
        return 'ev.activity';
      case 'id':
        return 'ev.probe.id';
      case 'cpu':
        return '0';
      case 'probeprov':
        return 'ev.probe.provider';
      case 'probemod':
        return 'ev.probe.module';
      case 'probefunc':
        return 'ev.probe.func';
      case 'probename':
        return 'ev.probe.name';
      case 'cwd':
        return 'rt.cwd()';
      default:
        return `rt.${e.name}`;
    }
  }

  private keyOf(keys: Expr[]): string {
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

  private binary(e: Extract<Expr, { kind: 'binary' }>): string {
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
        if (target.target.kind === 'ident') return `aset(a_${target.target.name}, ${this.keyOf(target.keys)}, ${v})`;
    }
    return v;
  }

  private update(e: Extract<Expr, { kind: 'update' }>): string {
    const f = e.op === '++' ? 'add' : 'sub';
    if (e.target.kind === 'index' && e.target.target.kind === 'ident') {
      return `aincr(a_${e.target.target.name}, ${this.keyOf(e.target.keys)}, ${e.op === '++' ? 1 : -1}, ${e.prefix})`;
    }
    const cur = e.target.type === 'int' ? this.expr(e.target) : `toInt(${this.expr(e.target)})`;
    const next = this.store(e.target, `${f}($t, 1)`);
    return e.prefix ? `($t = ${cur}, ${next})` : `($t = ${cur}, ${next}, $t)`;
  }

  private call(e: Extract<Expr, { kind: 'call' }>): string {
    const a = e.args;
    const s = (i: number): string => this.str(a[i]!);
    const n = (i: number): string => this.int(a[i]!);
    const opt = (i: number): string => (a[i] === undefined ? '' : `, ${n(i)}`);
    switch (e.name) {
      case 'strlen':
        return `${s(0)}.length`;
      case 'strjoin':
        return `ts(${s(0)} + ${s(1)})`;
      case 'substr':
        return `S.substr(${s(0)}, ${n(1)}${opt(2)})`;
      case 'index':
      case 'rindex':
        return `S.${e.name}(${s(0)}, ${s(1)}${opt(2)})`;
      case 'strstr':
      case 'json':
        return `S.${e.name}(${s(0)}, ${s(1)})`;
      case 'strchr':
      case 'strrchr':
        return `S.${e.name}(${s(0)}, ${n(1)})`;
      case 'tolower':
        return `${s(0)}.toLowerCase()`;
      case 'toupper':
        return `${s(0)}.toUpperCase()`;
      case 'lltostr':
        return `S.lltostr(${n(0)}${opt(1)})`;
      case 'strtoll':
        return `S.strtoll(${s(0)}${opt(1)})`;
      case 'basename':
      case 'dirname':
        return `S.${e.name}(${s(0)})`;
      case 'copyinstr':
      case 'stringof':
      case 'str':
        return s(0);
      case 'stack':
      case 'ustack':
        return `rt.stack(${a[0] === undefined ? '0' : `Number(${n(0)})`})`;
      case 'speculation':
        return 'rt.speculation()';
      case 'rand':
        return 'rt.rand()';
      default:
        return `(${this.exprStmt(e, false)}, 0)`;
    }
  }
}

function strValue(e: Expr | undefined): string {
  return e?.kind === 'str' ? e.value : '';
}

function childExprs(e: Expr): Expr[] {
  switch (e.kind) {
    case 'index':
      return e.keys;
    case 'call':
      return e.args;
    case 'unary':
      return [e.operand];
    case 'binary':
      return [e.left, e.right];
    case 'ternary':
      return [e.cond, e.then, e.else];
    case 'assign':
      return [e.value];
    default:
      return [];
  }
}

import type { Clause, Expr, Program } from './ast.js';
import type { CType } from './ctypes.js';
import type { Translator } from './declarations.js';
import type { CheckResult } from './check.js';
import { ActionCompiler } from './compile-actions.js';
import { SCRATCH_FUNCS } from './builtins.js';
import type { Names } from './resolve.js';
import { stmtExprs, visitExpr } from './walk.js';
import { isMemory } from './memory.js';
import { STATIC_BASE } from './runtime/scratch.js';

/** The actions that record data in DTrace's principal buffer: when not quiet, their firing prints a `CPU ID FUNCTION:NAME` line. */
const RECORDING_ACTIONS = new Set(['trace', 'print', 'printf', 'printa', 'tracemem', 'stack', 'ustack', 'jstack', 'exit', 'system']);

/**
 * Generated code for the whole program: one factory that, given a runtime, returns one
 * function per clause. Built from the AST only: identifiers are D identifiers (letters,
 * digits, `_`) behind a prefix, every literal goes through JSON.stringify or is a number,
 * and probe descriptions never reach the code.
 */
export interface GeneratedProgram {
  readonly source: string;
  /** Global scalars and associative arrays, in the order the factory's `globals` indexes them. */
  readonly globals: readonly string[];
  readonly arrays: readonly string[];
  readonly selfVars: readonly string[];
  readonly selfDefaults: readonly (number | string | object)[];
  readonly aggregations: readonly string[];
  /** What each clause does with its event, by clause index: what its direct link declares (LinkOptions). */
  readonly events: readonly ClauseEvents[];
}

export interface ClauseEvents {
  /** It tells firings apart by the event's identity (`this->` variables, strtok(NULL, …)): every firing needs a new event. */
  readonly keepsEvents: boolean;
  /** It reads the probe's arguments (`argN`, `args[]`, a translator of them). */
  readonly readsArgs: boolean;
  /** It reads the call's `this`. */
  readonly readsThis: boolean;
  /** It reads more of its event than the probe's name and id (the time, `this`, its thread…). */
  readonly readsEvent: boolean;
}

export function generate(program: Program, names: Names, checked: CheckResult): GeneratedProgram {
  return new Generator(program, names, checked).run();
}

/**
 * The program: globals, aggregation slots and one function per clause. Statements are
 * compiled in compile-actions.ts, expressions in compile-expr.ts.
 */
class Generator extends ActionCompiler {
  constructor(
    private readonly program: Program,
    names: Names,
    checked: CheckResult,
  ) {
    super(names, checked);
  }

  run(): GeneratedProgram {
    const out: string[] = [];
    for (const g of this.names.globals) out.push(`let g_${g} = ${this.defaultOf(g)};`);
    for (const a of this.names.arrays) out.push(`const a_${a} = new Map();`);
    for (const t of this.names.thisVars) out.push(`let t_${t} = ${this.thisDefault(t)};`);
    out.push('let thisEv = null;');
    const regions = [...this.names.statics.values()];
    if (regions.length > 0) out.push(`rt.scratch.setStatics(${Math.max(...regions.map((s) => s.address + s.size)) - STATIC_BASE});`);
    this.aggs.forEach((_, i) => out.push(`const A${i} = rt.aggs[${i}];`));
    const fns = this.program.clauses.map((c) => this.clause(c));
    out.push(...this.probeTuples, ...fns);
    const translators = this.program.decls.translators.map((t, i) => this.translator(t, i));
    out.push(...translators);
    // Factories last: a translator or a default may add a struct type; function declarations are hoisted.
    for (let i = 0; i < this.structTypes.length; i++) {
      const st = this.structTypes[i]!;
      const fields = (st.members ?? []).map((m) => `${m.name}: ${this.defaultFor(m.type)}`).join(', ');
      out.push(`function S${i}() { return { ${fields} }; }`);
    }
    out.push(...this.memory.source());
    // A struct global stays in its process: END sees what BEGIN set (its value is not a D scalar to report).
    // A global in memory (addressed.ts), struct or array, travels as its bytes (a latin1 string).
    const statics = this.names.statics;
    const globals = [
      ...[...this.names.globals].filter((g) => statics.has(g) || this.typeOfVar(g) !== 'struct'),
      ...[...this.names.arrays].filter((a) => statics.has(a)),
    ];
    const arrays = [...this.names.arrays].filter((a) => !statics.has(a));
    const reads = globals.map((g) =>
      statics.has(g) ? `rt.scratch.bytesAt(${statics.get(g)!.address}, ${statics.get(g)!.size})` : `g_${g}`,
    );
    // How an instance reads and sets the globals, so that END in mscope sees what probe clauses set.
    const writes = globals
      .map((g, i) => `case ${i}: ${statics.has(g) ? `rt.scratch.setBytesAt(${statics.get(g)!.address}, v)` : `g_${g} = v`}; break;`)
      .join(' ');
    out.push(
      `const globals = { read: () => [${reads.join(', ')}], write: (i, v) => { switch (i) { ${writes} } }, arrays: [${arrays.map((a) => `a_${a}`).join(', ')}] };`,
    );
    out.push(`return { clauses: [${this.program.clauses.map((c) => `c${c.index}`).join(', ')}], globals };`);
    return {
      source: out.join('\n'),
      globals,
      arrays,
      selfVars: this.selfVars,
      // A variable in memory (addressed.ts) holds no bytes until its first write.
      selfDefaults: this.selfVars.map((n) =>
        this.names.dynamicInMemory.has('self->' + n) ? 0 : this.selfDefault(this.ctypeOfVar('self->' + n)),
      ),
      aggregations: this.aggs,
      events: this.program.clauses.reduce<ClauseEvents[]>((e, c, i) => ((e[c.index] = clauseEvents(fns[i]!, translators)), e), []),
    };
  }

  /** A `self->` variable's initial value: a struct is built once and never changed in place (sput copies). */
  private selfDefault(t: CType): number | string | object {
    if (t.kind === 'string') return '';
    if (t.kind === 'struct' || t.kind === 'union') {
      const o: Record<string, unknown> = {};
      for (const m of t.members ?? []) o[m.name] = this.selfDefault(m.type);
      return o;
    }
    if (t.kind === 'array') return Array.from({ length: t.length }, () => this.selfDefault(t.of));
    return 0;
  }

  /** A `this->` variable's value at the start of a firing: one in memory (addressed.ts) holds no bytes yet. */
  private thisDefault(name: string): string {
    return this.names.dynamicInMemory.has('this->' + name) ? '0' : this.defaultOf('this->' + name);
  }

  /** `translator T < S *p > { m = e; ... }` as `X{i}(ev, p)`, which returns the translated struct. */
  private translator(t: Translator, i: number): string {
    const fields = [...t.members].map(([name, e]) => {
      const m = t.to.kind === 'struct' || t.to.kind === 'union' ? t.to.members?.find((x) => x.name === name) : undefined;
      return `${name}: ${m === undefined ? this.expr(e) : this.as(e, m.type)}`;
    });
    const base = t.to.kind === 'struct' || t.to.kind === 'union' ? `${this.structFactory(t.to)}()` : '{}';
    return `function X${i}(ev, p_${t.param}) {\n  let $t = 0, $c = 0, $k = 0, $w = 0;\n  return Object.assign(${base}, { ${fields.join(', ')} });\n}`;
  }

  private clause(c: Clause): string {
    const body: string[] = [];
    const uses = { self: false, this: false, spec: false, scratch: false, records: c.defaultAction };
    const scan = (e: Expr): void => {
      if (e.kind === 'call' && RECORDING_ACTIONS.has(e.name)) uses.records = true;
      if (e.kind === 'self') uses.self = true;
      if (e.kind === 'this') uses.this = true;
      if (e.kind === 'call' && e.name === 'speculate') uses.spec = true;
      if (e.kind === 'call' && SCRATCH_FUNCS.has(e.name)) uses.scratch = true;
      if ((e.kind === 'unary' && e.op === '&') || isMemory(e)) uses.scratch = true;
    };
    if (c.predicate !== null) visitExpr(c.predicate, scan);
    for (const s of c.body) for (const e of stmtExprs(s)) visitExpr(e, scan);
    if (uses.this) {
      const resets = [...this.names.thisVars]
        .map((t) => `${this.names.dynamicInMemory.has('this->' + t) ? `rt.scratch.release(t_${t}); ` : ''}t_${t} = ${this.thisDefault(t)};`)
        .join(' ');
      body.push(`if (ev !== thisEv) { thisEv = ev; ${resets} }`);
    }
    if (uses.self) body.push('let ss = rt.selfRead(), sw = false;');
    // Scratch lives for one firing of one clause, as in DTrace.
    if (uses.scratch) body.push('rt.scratch.begin();');
    // `$t` holds the old value in `x++`, `$c` a long chain's value so far; a predicate may use either.
    body.push('let $t = 0, $c = 0, $k = 0, $w = 0;');
    if (c.predicate !== null) body.push(`if (!${this.bool(c.predicate)}) return;`);
    if (uses.records) body.push(`rt.recordsBegin(ev, ${c.index});`);
    if (uses.spec) body.push('let spec = 0;');
    for (const s of c.body) body.push(this.stmt(s, uses.spec));
    if (c.defaultAction) body.push('rt.probeLine(ev, 0);');
    const end = uses.records ? ' finally { rt.recordsEnd(); }' : '';
    return `function c${c.index}(ev) {\n  try {\n    ${body.join('\n    ')}\n  } catch (e) { rt.fault(${c.index}, e, ev); }${end}\n}`;
  }
}

/** The uses of `ev` that read only its probe: the parameter, `ev.probe`, and a fault's report (it names the probe). */
const PROBE_ONLY_USES = /^function c\d+\(ev\)|\bev\.probe\b|\brt\.fault\(\d+, e, ev\)/gm;

/**
 * Read from a clause's generated code, which reaches its event only as `ev`: `this->` variables
 * are reset when `ev` is not the last firing's (`thisEv`), strtok remembers its firing's `ev`,
 * and arguments are read as `ev.args` and `this` as `ev.thisArg`, in the clause or in a
 * translator it calls.
 */
function clauseEvents(fn: string, translators: readonly string[]): ClauseEvents {
  const callsTranslator = /\bX\d+\(ev\b/.test(fn);
  const reads = (field: string): boolean => fn.includes(field) || (callsTranslator && translators.some((t) => t.includes(field)));
  return {
    keepsEvents: fn.includes('thisEv') || fn.includes('rt.strtok('),
    readsArgs: reads('ev.args'),
    readsThis: reads('ev.thisArg'),
    readsEvent: callsTranslator || /\bev\b/.test(fn.replace(PROBE_ONLY_USES, '')),
  };
}

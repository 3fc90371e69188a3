import type { Expr, Stmt } from './ast.js';
import { AGG_FUNCS } from './builtins.js';
import { argConversions, compileFormat } from '../aggregate/printf.js';
import { ExprCompiler } from './compile-expr.js';
import { convert } from './compile-convert.js';
import { asInt, INT64 } from './ctypes.js';

/** A key that names the probe (probefunc, probemod, probename, probeprov, id): the same on every firing of one probe. */
const PROBE_FIELD = /^ev\.probe\.(?:func|module|name|provider|id)$/;

/** Statements: aggregating assignments and actions, which call the runtime (`rt.*`). */
export abstract class ActionCompiler extends ExprCompiler {
  /** `const P{j} = ...` of each statement whose tuple is a function of the probe alone, declared beside the aggregations. */
  protected readonly probeTuples: string[] = [];

  protected stmt(s: Stmt, spec: boolean): string {
    if (s.kind === 'expr') return this.exprStmt(s.expr, spec) + ';';
    const i = this.aggIndex.get(s.name || '_')!;
    const info = this.checked.aggregations.get(s.name || '_');
    const takesValue = info?.kind !== 'count';
    const f = AGG_FUNCS.get(s.func);
    const first = takesValue ? 1 : 0;
    const nParams = f === undefined ? 0 : Math.min(f.maxParams, Math.max(0, s.args.length - first));
    const incrAt = f?.takesIncr === true && s.args.length > first + nParams ? first + nParams : -1;
    const incrArg = incrAt >= 0 ? s.args[incrAt] : undefined;
    // An aggregation records int64_t values, as DTrace's 64-bit registers hold them.
    const value = takesValue && s.args.length > 0 ? this.int64(s.args[0]!) : '0';
    const valueArgs =
      !takesValue && incrArg === undefined ? '' : `${value}${incrArg === undefined ? '' : `, Number(${this.int(incrArg)})`}`;
    const vArg = valueArgs === '' ? '' : `, ${valueArgs}`;
    if (s.keys.length === 0) return `A${i}.record0(${valueArgs});`;
    const keys = s.keys.map((k) => this.expr(k));
    if (keys.every((k) => PROBE_FIELD.test(k))) {
      const j = this.probeTuples.length;
      this.probeTuples.push(
        `const P${j} = A${i}.probeTuple((p) => [${keys.map((k) => `toKey(${k.replace('ev.probe.', 'p.')})`).join(', ')}]);`,
      );
      return `A${i}.recordProbe(P${j}, ev.probe${vArg});`;
    }
    if (keys.length === 1) return `A${i}.record1(toKey(${keys[0]!})${vArg});`;
    return `A${i}.record([${keys.map((k) => `toKey(${k})`).join(', ')}]${vArg});`;
  }

  protected exprStmt(e: Expr, spec: boolean): string {
    if (e.kind !== 'call') return this.expr(e);
    const a = e.args;
    const sp = spec ? 'spec' : '0';
    switch (e.name) {
      case 'trace':
      case 'print':
        if (a[0]!.kind === 'agg') return `rt.printa(null, [${this.aggRef(a[0]!)}], ${sp})`;
        return `rt.trace(ev, ${this.expr(a[0]!)}, ${sp}, ${traceSize(a[0]!)})`;
      case 'printf': {
        const fmt = this.formatFor(strValue(a[0]), a.slice(1));
        return `rt.printf(ev, ${JSON.stringify(fmt)}, [${this.formatArgs(fmt, a.slice(1))}], ${sp})`;
      }
      case 'printa': {
        const hasFmt = a[0]?.kind === 'str';
        const aggs = (hasFmt ? a.slice(1) : a).map((x) => this.aggRef(x));
        return `rt.printa(${hasFmt ? JSON.stringify(strValue(a[0])) : 'null'}, [${aggs.join(', ')}], ${sp})`;
      }
      case 'tracemem':
        return `rt.tracemem(${this.expr(a[0]!)}, ${this.int(a[1]!)}, ${a[2] === undefined ? 'undefined' : this.int(a[2])}, ${sp})`;
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
        return spec ? `spec = rt.speculate(Number(${this.int(a[0]!)}))` : '0';
      case 'commit':
        return `rt.commit(Number(${this.int(a[0]!)}))`;
      case 'discard':
        return `rt.discard(Number(${this.int(a[0]!)}))`;
      default:
        return this.expr(e);
    }
  }

  private int64(e: Expr): string {
    const t = e.ctype === undefined ? null : asInt(e.ctype);
    return t !== null && !t.signed && t.size === 8 ? convert(this.expr(e), t, INT64) : this.int(e);
  }

  private aggRef(e: Expr): number {
    return e.kind === 'agg' ? (this.aggIndex.get(e.name || '_') ?? 0) : 0;
  }

  /**
   * printf arguments converted for their conversion: `%s` gets a string, `%e %f %g` a double,
   * the others an integer; `%u %x %o %c` show a narrow signed integer as its unsigned value of
   * the same width (`%x` of `(int)-1` is ffffffff), as DTrace formats by the argument's size.
   */
  private formatArgs(fmt: string, args: Expr[]): string {
    const convs = conversions(fmt);
    return args
      .map((x, i) => {
        const w = convs[i] ?? 'd';
        if (w === 's' || (w === 'c' && x.type === 'string')) return this.str(x);
        if (w === 'e' || w === 'f' || w === 'g') return this.num(x);
        if ((w === 'a' || w === 'A') && x.type !== 'int') return `sym(${this.expr(x)})`;
        const t = x.ctype === undefined ? null : asInt(x.ctype);
        if (t !== null && t.signed && t.size < 8 && 'uxXoc'.includes(w)) {
          return convert(this.expr(x), t, { kind: 'int', name: 'unsigned', size: t.size, signed: false });
        }
        return this.int(x);
      })
      .join(', ');
  }

  /** The format as printed: `%d` of an unsigned argument prints as `%u`, as in DTrace (pfcheck_dint). */
  private formatFor(fmt: string, args: Expr[]): string {
    let segments;
    try {
      segments = compileFormat(fmt).segments;
    } catch {
      return fmt;
    }
    let out = fmt;
    let i = 0;
    for (const seg of segments) {
      if (typeof seg === 'string' || seg.agg) continue;
      if (seg.width === -2) i++;
      if (seg.precision === -2) i++;
      const t = args[i]?.ctype === undefined ? null : asInt(args[i]!.ctype!);
      if ((seg.conv === 'd' || seg.conv === 'i') && t !== null && !t.signed) {
        const at = seg.offset + seg.text.length - 1;
        out = out.slice(0, at) + 'u' + out.slice(at + 1);
      }
      i++;
    }
    return out;
  }
}

/** The conversion letter each printf argument meets, in order (`*` for a width or precision). */
function conversions(fmt: string): string[] {
  try {
    return argConversions(compileFormat(fmt)).map((c) => c.conv);
  } catch {
    // The checker has reported the format already.
    return [];
  }
}

function strValue(e: Expr | undefined): string {
  return e?.kind === 'str' ? e.value : '';
}

/** The byte size of a traced value's D integer type (DTrace picks trace()'s width by it), or 0. */
function traceSize(e: Expr): number {
  const t = e.ctype === undefined ? null : asInt(e.ctype);
  return t === null ? 0 : t.size;
}

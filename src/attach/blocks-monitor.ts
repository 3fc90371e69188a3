import inspector from 'node:inspector';
import { compileGlob, type Matcher } from '../core/glob.js';
import { sourceMapOf } from '../core/source-map.js';
import type { AgentContext, AgentMonitor } from '../agent/types.js';
import type { BlocksReport, BlocksSpec, Exactness, FunctionBlocks } from '../consumer/blocks-table.js';
import { Scope } from '../modules/scope.js';
import { isTransformed, transform } from '../modules/transform.js';
import { postNow } from '../core/inspector-post.js';
import { fileOf, SelfDebugger } from './debugger.js';

/**
 * Block counts (`mscope blocks`): V8's precise block coverage, started in the process through
 * a session to its own thread and taken at the end (exit, or detach). V8 counts blocks only in
 * code compiled while coverage is on: under `mscope run` coverage starts before the program's
 * first script, so everything is exact; after an attach, the chosen functions already compiled
 * are recompiled by a live edit of their script that moves no position (one space in the
 * function's leading whitespace becomes a tab, or the reverse), undone when coverage is taken.
 * A function V8 would not recompile keeps only its call count, and says so.
 */

const RETRY_MS = 20;
/** Attempts of a refused edit (about a second), as the splicer's. */
const MAX_TRIES = 50;

interface V8Range {
  readonly startOffset: number;
  readonly endOffset: number;
  readonly count: number;
}

interface V8Function {
  readonly functionName: string;
  readonly ranges: readonly V8Range[];
  readonly isBlockCoverage: boolean;
}

interface V8Script {
  readonly scriptId: string;
  readonly url: string;
  readonly functions: readonly V8Function[];
}

/** A function the rewrite names, by where its body's first statement goes. */
interface Named {
  readonly name: string;
  readonly pos: number;
}

interface Recompile {
  readonly file: string;
  readonly original: string;
  readonly edited: string;
  /** Positions in the original where a space was inserted (a body with no whitespace to swap), ascending. */
  readonly inserted: readonly number[];
  /** The functions the edit recompiles, by body position. */
  readonly positions: ReadonlySet<number>;
  state: 'pending' | 'edited' | 'refused' | 'restored';
  tries: number;
  why?: string;
}

export class BlocksMonitor implements AgentMonitor {
  private readonly scope: Scope;
  private readonly matchers: ReadonlyArray<{ module: Matcher; func: Matcher }>;
  private readonly debug = new SelfDebugger();
  private session: inspector.Session | null = null;
  private readonly edits = new Map<string, Recompile>();
  private retry: NodeJS.Timeout | null = null;
  private warn: (text: string) => void = () => {};
  /** CPU milliseconds spent in live edits (the refused ones too). */
  private editMs = 0;

  constructor(spec: BlocksSpec) {
    this.scope = new Scope({ root: spec.root });
    this.matchers = spec.patterns.map((p) => {
      const colon = p.indexOf(':');
      return colon < 0
        ? { module: compileGlob('*'), func: compileGlob(p) }
        : { module: compileGlob(p.slice(0, colon)), func: compileGlob(p.slice(colon + 1)) };
    });
  }

  static load(spec: string): BlocksMonitor {
    return new BlocksMonitor(JSON.parse(spec) as BlocksSpec);
  }

  start(ctx: AgentContext): void {
    this.warn = ctx.warn;
    const session = new inspector.Session();
    session.connect();
    this.session = session;
    postNow(session, 'Profiler.enable', {});
    postNow(session, 'Profiler.startPreciseCoverage', { callCount: true, detailed: true });
    this.recompileLoaded();
  }

  flush(): unknown {
    return undefined;
  }

  finish(): BlocksReport | undefined {
    const session = this.session;
    if (session === null) return undefined;
    this.session = null;
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
    const t0 = process.cpuUsage();
    const { result } = postNow<{ result: V8Script[] }>(session, 'Profiler.takePreciseCoverage', {});
    postNow(session, 'Profiler.stopPreciseCoverage', {});
    postNow(session, 'Profiler.disable', {});
    session.disconnect();
    this.debug.enable();
    const functions: FunctionBlocks[] = [];
    const live = new Set(this.debug.liveScripts().map((s) => s.id));
    const scripts = result.filter((s) => live.has(s.scriptId));
    // An edited script none of whose functions ran since: its chosen functions ran 0 times.
    for (const [id, r] of this.edits)
      if (!scripts.some((s) => s.scriptId === id)) scripts.push({ scriptId: id, url: r.file, functions: [] });
    for (const script of scripts) {
      try {
        functions.push(...this.report(script));
      } catch (error) {
        this.warn(`mscope: no block counts for ${script.url}: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
    const t = process.cpuUsage(t0);
    const recompiled = [...this.edits.values()].filter((e) => e.state === 'edited').length;
    this.restore();
    return { functions, takeMs: (t.user + t.system) / 1000, recompiled, editMs: this.editMs };
  }

  /** Scripts compiled before coverage started: their chosen functions are recompiled by a live edit. */
  private recompileLoaded(): void {
    this.debug.enable();
    for (const s of this.debug.liveScripts()) {
      const module = this.moduleOf(s.file);
      if (module === null) continue;
      const original = this.debug.source(s.id);
      const chosen = this.named(original, module, s.esm).filter((n) => this.chosen(module, n.name));
      if (chosen.length === 0) continue;
      const { text, inserted } = touch(
        original,
        chosen.map((n) => n.pos),
      );
      const r: Recompile = {
        file: s.file,
        original,
        edited: text,
        inserted,
        positions: new Set(chosen.map((n) => n.pos)),
        state: 'pending',
        tries: 0,
      };
      this.edits.set(s.id, r);
      this.edit(s.id, r);
    }
    // V8 drops what an edit recompiled when the last debugger session goes: ours stays until coverage is taken.
    if (this.edits.size === 0) this.debug.disable();
  }

  private edit(scriptId: string, r: Recompile): void {
    const t0 = process.cpuUsage();
    const e = this.debug.setSource(scriptId, r.edited);
    const t = process.cpuUsage(t0);
    this.editMs += (t.user + t.system) / 1000;
    if (e.ok) r.state = 'edited';
    else if (!e.final && ++r.tries < MAX_TRIES) this.retry ??= setTimeout(() => this.retryPending(), RETRY_MS).unref();
    else {
      r.state = 'refused';
      r.why = e.reason;
    }
  }

  private retryPending(): void {
    this.retry = null;
    for (const [id, r] of this.edits) if (r.state === 'pending') this.edit(id, r);
  }

  /** The original text back (retried while V8 refuses: an edited function suspended at await). */
  private restore(): void {
    let blocked = false;
    for (const [id, r] of this.edits) {
      if (r.state !== 'edited') continue;
      const e = this.debug.setSource(id, r.original);
      if (e.ok || e.final) r.state = 'restored';
      else blocked = true;
      if (!e.ok && e.final) this.warn(`mscope: could not undo the live edit of script ${id}: ${e.reason}\n`);
    }
    if (blocked) setTimeout(() => this.restore(), RETRY_MS).unref();
    else this.debug.disable();
  }

  private report(script: V8Script): FunctionBlocks[] {
    const file = fileOf(script.url);
    const module = file === null ? null : this.moduleOf(file);
    if (module === null) return [];
    const r = this.edits.get(script.scriptId);
    const source = r?.original ?? this.debug.source(script.scriptId);
    const parsed = this.debug.fileScripts().find((s) => s.id === script.scriptId);
    const named = this.named(source, module, parsed?.esm ?? script.url.endsWith('.mjs')).filter((n) => this.chosen(module, n.name));
    if (named.length === 0) return [];
    const back = (offset: number): number => toOriginal(offset, r?.inserted ?? []);
    const fns = script.functions.map((f) => ({
      f,
      ranges: f.ranges.map((x) => ({ start: back(x.startOffset), end: back(x.endOffset), count: x.count })),
    }));
    const lines = new LineMap(source, script.url);
    const out: FunctionBlocks[] = [];
    for (const n of named) {
      // The smallest range around the body's start: the function's own, or, for a function V8
      // has not compiled (never called), a range of an enclosing one (its own uncalled range when block-counted).
      let best: (typeof fns)[number] | undefined;
      let around: { start: number; end: number; count: number } | undefined;
      for (const c of fns) {
        c.ranges.forEach((x, i) => {
          if (!(x.start < n.pos && n.pos <= x.end) || (around !== undefined && x.end - x.start >= around.end - around.start)) return;
          around = x;
          best = i === 0 ? c : undefined;
        });
      }
      if (best === undefined) {
        const [first, last] =
          around?.count === 0 ? lines.span(around.start, around.end) : [lines.lineAt(n.pos - 1), lines.lineAt(n.pos - 1)];
        out.push({ module, func: n.name, first, last, calls: 0, blocks: [], exactness: 'unrun' });
        continue;
      }
      const whole = best.ranges[0]!;
      const inner = fns
        .filter((c) => c !== best && c.ranges[0]!.start >= whole.start && c.ranges[0]!.end <= whole.end)
        .map((c) => c.ranges[0]!);
      let exactness: Exactness = 'compiled';
      let why: string | undefined;
      if (!best.f.isBlockCoverage) {
        exactness = 'undercounted';
        why = r?.why ?? (r?.state === 'pending' ? 'the live edit was still refused when coverage was taken' : undefined);
      } else if (r !== undefined && r.state === 'edited' && r.positions.has(n.pos)) exactness = 'recompiled';
      const blocks = segments(source, best.ranges, inner).map(([a, b, count]) => {
        const [first, last, column] = lines.span(a, b);
        return [first, last, count, column] as const;
      });
      const [first, last] = lines.span(whole.start, whole.end);
      out.push({ module, func: n.name, first, last, calls: whole.count, blocks, exactness, ...(why === undefined ? {} : { why }) });
    }
    return out;
  }

  private moduleOf(file: string): string | null {
    const d = this.scope.classify(file);
    if (d === null || !this.matchers.some((m) => m.module(d.module))) return null;
    return d.module;
  }

  private chosen(module: string, func: string): boolean {
    return this.matchers.some((m) => m.module(module) && m.func(func));
  }

  /** The functions of `source` by the names fn probes have (the load-time rewrite's), brace-bodied ones. */
  private named(source: string, module: string, esm: boolean): Named[] {
    if (isTransformed(source)) return [];
    try {
      const r = transform(source, {
        module,
        format: esm ? 'module' : 'commonjs',
        exits: false,
        live: { prefix: '$ms0_', select: () => true },
      });
      return (r.entries ?? []).map((e) => ({ name: r.sites[e.index]![0], pos: e.pos }));
    } catch (error) {
      this.warn(`mscope: ${module} does not parse: ${error instanceof Error ? error.message : String(error)}\n`);
      return [];
    }
  }
}

/**
 * The edit that recompiles the functions whose bodies start at `positions` and moves nothing:
 * the first space or tab before each body's first token swapped for the other. A body with none
 * (`{return x}`) gets a space inserted, and coverage offsets after it are shifted back.
 */
export function touch(source: string, positions: readonly number[]): { text: string; inserted: number[] } {
  let text = '';
  let from = 0;
  const inserted: number[] = [];
  for (const p of [...positions].sort((a, b) => a - b)) {
    let i = p;
    while (i < source.length && (source[i] === '\n' || source[i] === '\r')) i++;
    if (source[i] === ' ' || source[i] === '\t') {
      text += source.slice(from, i) + (source[i] === ' ' ? '\t' : ' ');
      from = i + 1;
    } else {
      text += `${source.slice(from, p)} `;
      from = p;
      inserted.push(p);
    }
  }
  return { text: text + source.slice(from), inserted };
}

/** An offset in the edited text as an offset in the original. */
function toOriginal(offset: number, inserted: readonly number[]): number {
  let shift = 0;
  for (let k = 0; k < inserted.length && inserted[k]! + k < offset; k++) shift++;
  return offset - shift;
}

/**
 * A function's ranges (the whole first, then nested blocks) flattened into the stretches where
 * the count changes, each with the count of the innermost range over it; functions nested in it
 * are left out (they have their own table), and stretches of only brackets and punctuation (a
 * closing `}` after a return) too.
 */
export function segments(
  source: string,
  ranges: ReadonlyArray<{ start: number; end: number; count: number }>,
  holes: ReadonlyArray<{ start: number; end: number }>,
): Array<[number, number, number]> {
  const cuts = new Set<number>();
  for (const r of ranges) cuts.add(r.start).add(r.end);
  for (const h of holes) cuts.add(h.start).add(h.end);
  const points = [...cuts].sort((a, b) => a - b);
  const whole = ranges[0]!;
  const out: Array<[number, number, number]> = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    if (a < whole.start || b > whole.end || holes.some((h) => h.start <= a && b <= h.end)) continue;
    let inner = whole;
    for (const r of ranges) if (r.start <= a && b <= r.end && r.end - r.start < inner.end - inner.start) inner = r;
    const last = out[out.length - 1];
    if (last !== undefined && last[1] === a && last[2] === inner.count) last[1] = b;
    else out.push([a, b, inner.count]);
  }
  return out.filter(([a, b]) => /[^\s{}()[\];,]/.test(source.slice(a, b)));
}

/** Offsets to 1-based lines of the program's source: through Node's source map of the script when it has one (TypeScript). */
class LineMap {
  private readonly starts: number[] = [0];

  constructor(
    private readonly source: string,
    private readonly url: string,
  ) {
    for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  /** The lines of the first and the last character of `[a, b)` that is not blank or a brace, and the first one's column. */
  span(a: number, b: number): [number, number, number] {
    while (a < b && /[\s{}]/.test(this.source[a]!)) a++;
    while (b > a && /[\s{}]/.test(this.source[b - 1]!)) b--;
    const [first, column] = this.locate(a);
    return [first, this.locate(Math.max(a, b - 1))[0], column];
  }

  lineAt(offset: number): number {
    return this.locate(offset)[0];
  }

  /** 1-based line and column. */
  private locate(offset: number): [number, number] {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const column = offset - this.starts[lo]!;
    const e = sourceMapOf(this.url)?.findEntry(lo, column);
    return e !== undefined && 'originalLine' in e ? [e.originalLine + 1, e.originalColumn + 1] : [lo + 1, column + 1];
  }
}

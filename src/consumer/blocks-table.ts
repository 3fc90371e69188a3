import type { MonitorSpec } from '../agent/protocol.js';
import type { ConsumerMonitor } from './consumer.js';
import type { OutputSink } from './output.js';

/**
 * `mscope blocks`: V8 block coverage of chosen functions, as KernInst's outlining analysis
 * showed a function's hot and cold blocks. What each traced process reports (attach/blocks-monitor.ts)
 * and the table mscope prints from all of them.
 */

/** What `mscope blocks` asks each process for (the monitor's spec, as JSON). */
export interface BlocksSpec {
  /** `FUNC` or `MODULE:FUNC` globs over the fn provider's names. */
  readonly patterns: readonly string[];
  /** What module names are relative to: mscope's working directory. */
  readonly root: string;
}

/**
 * How far a function's block counts can be trusted. V8 counts blocks only in code compiled
 * while block coverage is on: `compiled` (first compiled after coverage started, as everything
 * is when coverage starts before the program), `recompiled` (compiled before, recompiled by a
 * live edit when coverage started), `undercounted` (compiled before and not recompiled: only
 * its calls are counted, `why` says why); `unrun`: V8 has no code for it, so it did not run.
 */
export type Exactness = 'unrun' | 'compiled' | 'recompiled' | 'undercounted';

export interface FunctionBlocks {
  readonly module: string;
  readonly func: string;
  /** The function's lines in its source (source-mapped when Node has the map). */
  readonly first: number;
  readonly last: number;
  readonly calls: number;
  /** `[first line, last line, count, first column]`: where a count differs from its surroundings', in source order. */
  readonly blocks: ReadonlyArray<readonly [number, number, number, number]>;
  readonly exactness: Exactness;
  readonly why?: string;
}

export interface BlocksReport {
  readonly functions: readonly FunctionBlocks[];
  /** CPU milliseconds the process spent taking coverage and mapping it. */
  readonly takeMs: number;
  /** Scripts edited to recompile their chosen functions when coverage started. */
  readonly recompiled: number;
  /** CPU milliseconds those edits took. */
  readonly editMs: number;
}

/** A block is hot when it ran on at least this share of its function's calls… */
export const HOT_SHARE = 0.5;
/** …and cold (KernInst would outline it) under this share, never run included. */
export const COLD_SHARE = 0.01;

export function marker(count: number, calls: number): string {
  if (calls === 0) return count === 0 ? 'cold' : 'hot';
  const share = count / calls;
  return share >= HOT_SHARE ? 'hot' : share < COLD_SHARE ? 'cold' : '';
}

const EXACTNESS: Record<Exactness, string> = {
  unrun: 'exact: not run while counting',
  compiled: 'exact: compiled under coverage',
  recompiled: 'exact: recompiled by a live edit when coverage started',
  undercounted: 'possibly undercounted: compiled before coverage started and not recompiled',
};

interface Merged {
  module: string;
  func: string;
  first: number;
  last: number;
  calls: number;
  blocks: Map<string, [number, number, number, number]>;
  exactness: Exactness;
  why: string | undefined;
}

/** The reports of every traced process (a program's children and workers too), merged by function and block, printed at the end. */
export class BlocksConsumer implements ConsumerMonitor {
  private readonly functions = new Map<string, Merged>();
  private processes = 0;
  private takeMs = 0;
  private recompiled = 0;
  private editMs = 0;

  constructor(private readonly spec: BlocksSpec) {}

  static forSpec(spec: MonitorSpec): BlocksConsumer {
    return new BlocksConsumer(JSON.parse(spec.spec) as BlocksSpec);
  }

  delta(): void {}

  final(_pid: number, data: unknown): void {
    const r = data as BlocksReport | undefined;
    if (r === undefined) return;
    this.processes++;
    this.takeMs += r.takeMs;
    this.recompiled += r.recompiled;
    this.editMs += r.editMs;
    for (const f of r.functions) {
      const key = `${f.module}:${f.func}`;
      let m = this.functions.get(key);
      if (m === undefined) {
        m = {
          module: f.module,
          func: f.func,
          first: f.first,
          last: f.last,
          calls: 0,
          blocks: new Map(),
          exactness: f.exactness,
          why: f.why,
        };
        this.functions.set(key, m);
      }
      m.calls += f.calls;
      if (rank(f.exactness) > rank(m.exactness)) {
        m.exactness = f.exactness;
        m.why = f.why;
      }
      for (const [first, last, count, column] of f.blocks) {
        const key = `${first}:${column}-${last}`;
        const b = m.blocks.get(key);
        if (b === undefined) m.blocks.set(key, [first, last, count, column]);
        else b[2] += count;
      }
    }
  }

  end(out: OutputSink): void {
    if (this.processes === 0) return;
    const fns = [...this.functions.values()].sort((a, b) => b.calls - a.calls || a.module.localeCompare(b.module) || a.first - b.first);
    if (fns.length === 0) {
      process.stderr.write(`mscope: no function matching ${this.spec.patterns.join(', ')} was compiled\n`);
      return;
    }
    out.write(formatBlocks(fns.map((f) => ({ ...f, blocks: [...f.blocks.values()] }))));
    const edits = this.recompiled === 1 ? '1 script' : `${this.recompiled} scripts`;
    process.stderr.write(
      `mscope: block coverage of ${fns.length} function${fns.length === 1 ? '' : 's'} taken and mapped in ${this.takeMs.toFixed(1)} ms of CPU` +
        (this.recompiled > 0 ? `; ${edits} live-edited to recompile, in ${this.editMs.toFixed(1)} ms` : '') +
        '\n',
    );
  }
}

function rank(e: Exactness): number {
  return e === 'undercounted' ? 3 : e === 'recompiled' ? 2 : e === 'compiled' ? 1 : 0;
}

/** One table per function, hottest function first, each block hottest first. */
export function formatBlocks(fns: ReadonlyArray<Omit<FunctionBlocks, 'why'> & { why?: string | undefined }>): string {
  let text = `hot: run on at least ${HOT_SHARE * 100}% of the function's calls; cold: on under ${COLD_SHARE * 100}% (outlining candidates)\n`;
  for (const f of fns) {
    const where = f.first === f.last ? `${f.first}` : `${f.first}-${f.last}`;
    text += `\n${f.module}:${f.func} (lines ${where}), ${f.calls} call${f.calls === 1 ? '' : 's'}: ${EXACTNESS[f.exactness]}`;
    text += f.why === undefined ? '\n' : ` (${f.why})\n`;
    const rows = [...f.blocks].sort((a, b) => b[2] - a[2] || a[0] - b[0] || a[3] - b[3]);
    const span = ([first, last]: readonly number[]): string => (first === last ? `${first}` : `${first}-${last}`);
    // Blocks on the same lines (a ternary's branches) are told apart by the column they start at.
    const shared = new Set(rows.map(span).filter((s, i, all) => all.indexOf(s) !== i));
    const lines = rows.map((r) => (shared.has(span(r)) ? `${r[0]}:${r[3]}${r[1] === r[0] ? '' : `-${r[1]}`}` : span(r)));
    const width = Math.max(5, ...lines.map((l) => l.length));
    const countWidth = Math.max(5, ...rows.map((r) => String(r[2]).length));
    text += `  ${'LINES'.padEnd(width)}  ${'COUNT'.padStart(countWidth)}  %CALLS\n`;
    rows.forEach(([, , count], i) => {
      const share = f.calls === 0 ? '-' : `${Math.round((count / f.calls) * 100)}%`;
      const mark = marker(count, f.calls);
      text += `  ${lines[i]!.padEnd(width)}  ${String(count).padStart(countWidth)}  ${share.padStart(6)}${mark === '' ? '' : `  ${mark}`}\n`;
    });
  }
  return text;
}

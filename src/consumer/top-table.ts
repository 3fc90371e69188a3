import type { AggSnapshot } from '../aggregate/types.js';
import { formatDuration } from './duration.js';

/**
 * The aggregations `mscope top`'s D program keeps per `[probemod, probefunc]`, all cumulative:
 * calls entered, calls ended (return or error), and the wall time and vtime of the ended calls.
 */
export const TOP_AGGS = { entries: 'top_entries', exits: 'top_exits', wall: 'top_wall', vtime: 'top_vtime' } as const;

/** The D program of `mscope top` over the `fn` functions matching `patterns` (`MODULE:FUNC` or `FUNC` globs). */
export function topProgram(patterns: readonly string[]): string {
  const described = (name: string): string => patterns.map((p) => `fn:${p.includes(':') ? p : `*:${p}`}:${name}`).join(', ');
  const key = '[probemod, probefunc]';
  return (
    `${described('entry')} { @${TOP_AGGS.entries}${key} = count(); }\n` +
    `${described('return')}, ${described('error')} { @${TOP_AGGS.exits}${key} = count(); ` +
    `@${TOP_AGGS.wall}${key} = sum(elapsed); @${TOP_AGGS.vtime}${key} = sum(vtime); }\n`
  );
}

/** kperfmon's metrics, as `mscope top` shows them: the column, the key that sorts by it, whether it needs return points. */
export interface TopMetric {
  readonly name: string;
  readonly key: string;
  readonly title: string;
  readonly exits: boolean;
  readonly time: boolean;
}

export const TOP_METRICS: readonly TopMetric[] = [
  { name: 'calls', key: 'c', title: 'CALLS', exits: false, time: false },
  { name: 'inflight', key: 'i', title: 'INFL', exits: true, time: false },
  { name: 'conc', key: 'o', title: 'CONC', exits: true, time: false },
  { name: 'wall', key: 'w', title: 'WALL/CALL', exits: true, time: true },
  { name: 'vtime', key: 'v', title: 'VTIME', exits: true, time: true },
  { name: 'vcall', key: 't', title: 'VTIME/CALL', exits: true, time: true },
];

export type MetricName = 'calls' | 'inflight' | 'conc' | 'wall' | 'vtime' | 'vcall';

/** Cumulative figures of one function. */
export interface Totals {
  entries: number;
  exits: number;
  wall: number;
  vtime: number;
}

export interface TopRow {
  readonly name: string;
  readonly values: Readonly<Record<MetricName, number>>;
}

/** Per-function totals from the aggregations' snapshots. */
export function readTotals(snapshots: ReadonlyMap<string, AggSnapshot>): Map<string, Totals> {
  const out = new Map<string, Totals>();
  const field = (agg: string, into: keyof Totals): void => {
    for (const e of snapshots.get(agg)?.entries ?? []) {
      const name = `${String(e.key[0])}:${String(e.key[1])}`;
      let t = out.get(name);
      if (t === undefined) out.set(name, (t = { entries: 0, exits: 0, wall: 0, vtime: 0 }));
      t[into] = Number(e.value[0]);
    }
  };
  field(TOP_AGGS.entries, 'entries');
  field(TOP_AGGS.exits, 'exits');
  field(TOP_AGGS.wall, 'wall');
  field(TOP_AGGS.vtime, 'vtime');
  return out;
}

const NONE: Totals = { entries: 0, exits: 0, wall: 0, vtime: 0 };

/**
 * Whose exit metrics have values: `all` when every function's return points are traced (a
 * traced command), `returned` for the functions seen to return at least once (attach, where a
 * function without a return point, or run on breakpoints, never does; docs/ATTACH.md).
 */
export type ExitsTraced = 'all' | 'returned';

/**
 * One refresh: what happened between `before` and `now` (`intervalNs` apart). Calls count
 * where they entered, wall time and vtime where they ended; CONC is kperfmon's concurrency,
 * the ended calls' wall time over the interval (the mean number in flight); INFL is now.
 * A function whose exits are not traced has NaN (shown `-`) for every metric but CALLS.
 */
export function topRows(
  before: ReadonlyMap<string, Totals>,
  now: ReadonlyMap<string, Totals>,
  intervalNs: number,
  exits: ExitsTraced,
): TopRow[] {
  const rows: TopRow[] = [];
  for (const [name, t] of now) {
    const b = before.get(name) ?? NONE;
    const calls = t.entries - b.entries;
    if (exits === 'returned' && t.exits === 0) {
      rows.push({
        name,
        values: { calls, inflight: Number.NaN, conc: Number.NaN, wall: Number.NaN, vtime: Number.NaN, vcall: Number.NaN },
      });
      continue;
    }
    const ended = t.exits - b.exits;
    const wall = t.wall - b.wall;
    const vtime = t.vtime - b.vtime;
    rows.push({
      name,
      values: {
        calls,
        inflight: Math.max(0, t.entries - t.exits),
        conc: intervalNs > 0 ? wall / intervalNs : Number.NaN,
        wall: ended > 0 ? wall / ended : Number.NaN,
        vtime,
        vcall: ended > 0 ? vtime / ended : Number.NaN,
      },
    });
  }
  return rows;
}

/** Descending by `metric` (a value that cannot be had last), then by name. */
export function sortRows(rows: TopRow[], metric: MetricName): TopRow[] {
  return rows.sort((a, b) => {
    const x = a.values[metric];
    const y = b.values[metric];
    const nx = Number.isNaN(x);
    const ny = Number.isNaN(y);
    if (nx !== ny) return nx ? 1 : -1;
    if (!nx && x !== y) return y - x;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

function formatValue(m: TopMetric, v: number): string {
  if (m.time) return formatDuration(v, 'column');
  if (Number.isNaN(v)) return '-';
  return m.name === 'conc' ? v.toFixed(2) : String(v);
}

export interface TopFrame {
  readonly heading: string;
  readonly rows: readonly TopRow[];
  readonly sort: MetricName;
  /** Lines after the table (what cannot be shown, and why). */
  readonly notes: readonly string[];
  readonly width: number;
  /** At most this many rows (the terminal's height); Infinity in batch mode. */
  readonly maxRows: number;
}

const NUMBER_WIDTH = 10;

/** The refresh as text: heading, column titles (the sort column marked), rows, notes. */
export function renderFrame(f: TopFrame): string {
  const longest = Math.max(8, ...f.rows.map((r) => r.name.length));
  const nameWidth = Math.max(8, Math.min(f.width - TOP_METRICS.length * (NUMBER_WIDTH + 1), longest));
  const titles = TOP_METRICS.map((m) => (m.name === f.sort ? `*${m.title}` : m.title).padStart(NUMBER_WIDTH)).join(' ');
  const lines = [f.heading, '', `${'FUNCTION'.padEnd(nameWidth)} ${titles}`];
  for (const r of f.rows.slice(0, f.maxRows)) {
    const name = r.name.length > nameWidth ? `…${r.name.slice(r.name.length - nameWidth + 1)}` : r.name.padEnd(nameWidth);
    const cells = TOP_METRICS.map((m) => formatValue(m, r.values[m.name as MetricName]).padStart(NUMBER_WIDTH));
    lines.push(`${name} ${cells.join(' ')}`);
  }
  if (f.rows.length === 0) lines.push('(no calls yet)');
  return `${[...lines, ...f.notes].join('\n')}\n`;
}

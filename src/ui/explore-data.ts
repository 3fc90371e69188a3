import { FIELDS, type AcctRecord } from '../accounting/index.js';
import { percentileOfSorted } from '../stats/index.js';

/** One dimension of the explorer: a record field or an `acct.metric`. */
export interface Axis {
  /** `latency_ns`, `fs_ns`…, or `metric:NAME`. */
  name: string;
  /** The subsystem the comparison names: `fs`, `loop`…, `metric` for application metrics. */
  subsystem: string;
  /** `ns` for times (the page shows ms), `` for a metric. */
  unit: 'ns' | '';
  min: number;
  max: number;
}

/** What the page asks: a latency band, axis filters (any interval of an axis passes), the histogram's bins. */
export interface Selection {
  band?: [number, number] | null;
  filters?: Record<string, Array<[number, number]>>;
  scale?: 'linear' | 'log';
  bins?: number;
  /** The table: sorted by this axis, slowest first unless `asc`. */
  sort?: string;
  asc?: boolean;
  limit?: number;
}

export interface AxisComparison {
  axis: string;
  subsystem: string;
  selected: { median: number; p99: number } | null;
  rest: { median: number; p99: number } | null;
}

export interface SelectionResult {
  total: number;
  /** Activities passing every axis filter (what the histogram counts). */
  filtered: number;
  /** Those of them inside the band: the selection. */
  selected: number;
  histogram: { scale: 'linear' | 'log'; edges: number[]; counts: number[]; selected: number[] };
  comparison: AxisComparison[];
  /** The subsystem time whose median differs most between the selection and the rest, or null. */
  differsMost: { subsystem: string; axis: string; deltaMedian: number } | null;
  rows: Array<Record<string, number | string>>;
}

const TIME_AXES = FIELDS.filter((f) => f.name.endsWith('_ns'));
const MAX_BINS = 200;
const MAX_ROWS = 1000;

/**
 * The activities of one store run held as columns, with each column's order by value
 * computed once, so a selection costs one pass over the filtered axes and one walk of
 * each axis's order for its percentiles: no sort per brush.
 */
/** What the server asks for at each request: the data as it stands. */
export interface ExploreSource {
  current(): ExploreData;
}

/** Where the activities come from: a store's path and run, or a live run (`live`: the page polls for more). */
export interface ExploreOrigin {
  path: string;
  run: number | null;
  live?: boolean;
}

export class ExploreData implements ExploreSource {
  readonly axes: Axis[];
  private readonly columns = new Map<string, Float64Array>();
  private readonly order = new Map<string, Uint32Array>();
  private readonly byId = new Map<number, number>();
  readonly size: number;
  /** Reused by every comparison: the selection's and the rest's values of one axis, in order. */
  private readonly scratchSelected: Float64Array;
  private readonly scratchRest: Float64Array;

  constructor(
    private readonly records: readonly AcctRecord[],
    readonly source: ExploreOrigin,
  ) {
    const n = records.length;
    this.size = n;
    this.scratchSelected = new Float64Array(n);
    this.scratchRest = new Float64Array(n);
    const names: Array<{ name: string; subsystem: string; unit: 'ns' | '' }> = TIME_AXES.map((f) => ({
      name: f.name,
      subsystem: f.subsystem === 'wall' ? 'latency' : f.subsystem,
      unit: 'ns',
    }));
    const metricNames = new Set<string>();
    for (const r of records) for (const k in r.metrics) metricNames.add(k);
    for (const m of [...metricNames].sort()) names.push({ name: `metric:${m}`, subsystem: 'metric', unit: '' });
    this.axes = [];
    for (const a of names) {
      const col = new Float64Array(n);
      const metric = a.name.startsWith('metric:') ? a.name.slice(7) : null;
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < n; i++) {
        const r = records[i]!;
        const v = metric === null ? ((r as unknown as Record<string, number>)[a.name] ?? 0) : (r.metrics[metric] ?? 0);
        col[i] = v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      // An axis that is zero for every activity says nothing; latency always stays.
      if (a.name !== 'latency_ns' && !(max > 0 || min < 0)) continue;
      this.columns.set(a.name, col);
      const ord = new Uint32Array(n);
      for (let i = 0; i < n; i++) ord[i] = i;
      ord.sort((x, y) => col[x]! - col[y]!);
      this.order.set(a.name, ord);
      this.axes.push({ ...a, min: n === 0 ? 0 : min, max: n === 0 ? 0 : max });
    }
    for (let i = 0; i < n; i++) this.byId.set(records[i]!.id, i);
  }

  current(): ExploreData {
    return this;
  }

  meta(): { path: string; run: number | null; live: boolean; total: number; axes: Axis[] } {
    return { path: this.source.path, run: this.source.run, live: this.source.live === true, total: this.size, axes: this.axes };
  }

  /** Every activity, or an even sample of `limit` of them plus the slowest, as columns in axis order. */
  lines(limit: number): { total: number; sampled: boolean; axes: string[]; ids: number[]; values: number[][] } {
    const n = this.size;
    const picks: number[] = [];
    if (n <= limit) for (let i = 0; i < n; i++) picks.push(i);
    else {
      // The tail is what the page is for: the slowest tenth of the budget always goes in.
      const lat = this.order.get('latency_ns')!;
      const tail = Math.floor(limit / 10);
      const taken = new Uint8Array(n);
      for (let k = n - tail; k < n; k++) taken[lat[k]!] = 1;
      const stride = (n - tail) / (limit - tail);
      for (let k = 0; k < limit - tail; k++) taken[lat[Math.floor(k * stride)]!] = 1;
      for (let i = 0; i < n; i++) if (taken[i] === 1) picks.push(i);
    }
    const axes = this.axes.map((a) => a.name);
    const cols = axes.map((a) => this.columns.get(a)!);
    return {
      total: n,
      sampled: picks.length < n,
      axes,
      ids: picks.map((i) => this.records[i]!.id),
      values: picks.map((i) => cols.map((c) => c[i]!)),
    };
  }

  /** The full record of one activity, or undefined. */
  activity(id: number): AcctRecord | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.records[i];
  }

  select(q: Selection): SelectionResult {
    const n = this.size;
    const lat = this.columns.get('latency_ns')!;
    const passes = new Uint8Array(n).fill(1);
    for (const [name, intervals] of Object.entries(q.filters ?? {})) {
      const col = this.columns.get(name);
      if (col === undefined) throw new RangeError(`no axis ${name}`);
      if (intervals.length === 0) continue;
      for (let i = 0; i < n; i++) {
        if (passes[i] === 0) continue;
        const v = col[i]!;
        let ok = 0;
        for (const [lo, hi] of intervals) if (v >= lo && v <= hi) ok = 1;
        passes[i] = ok;
      }
    }
    const band = q.band ?? null;
    const selected = new Uint8Array(n);
    let filtered = 0;
    let nSelected = 0;
    for (let i = 0; i < n; i++) {
      if (passes[i] === 0) continue;
      filtered++;
      if (band === null || (lat[i]! >= band[0] && lat[i]! <= band[1])) {
        selected[i] = 1;
        nSelected++;
      }
    }
    const histogram = this.histogram(q.scale ?? 'linear', Math.min(MAX_BINS, Math.max(1, q.bins ?? 40)), passes, selected);
    const comparison = this.axes.map((a) => this.compare(a, selected, nSelected));
    return {
      total: n,
      filtered,
      selected: nSelected,
      histogram,
      comparison,
      differsMost: differsMost(comparison),
      rows: this.rows(selected, q),
    };
  }

  private histogram(scale: 'linear' | 'log', bins: number, passes: Uint8Array, selected: Uint8Array): SelectionResult['histogram'] {
    const lat = this.columns.get('latency_ns')!;
    const axis = this.axes[0]!;
    const edges = binEdges(scale, axis.min, axis.max, bins);
    const counts = new Array<number>(bins).fill(0);
    const inBand = new Array<number>(bins).fill(0);
    for (let i = 0; i < this.size; i++) {
      if (passes[i] === 0) continue;
      const b = binOf(edges, lat[i]!);
      counts[b]!++;
      if (selected[i] === 1) inBand[b]!++;
    }
    return { scale, edges, counts, selected: inBand };
  }

  /** Median and p99 of the selection and of the rest, from the axis's order: already sorted. */
  private compare(a: Axis, selected: Uint8Array, nSelected: number): AxisComparison {
    const col = this.columns.get(a.name)!;
    const ord = this.order.get(a.name)!;
    const sel = this.scratchSelected.subarray(0, nSelected);
    const rest = this.scratchRest.subarray(0, this.size - nSelected);
    let s = 0;
    let r = 0;
    for (let k = 0; k < ord.length; k++) {
      const i = ord[k]!;
      if (selected[i] === 1) sel[s++] = col[i]!;
      else rest[r++] = col[i]!;
    }
    const stats = (xs: Float64Array): { median: number; p99: number } | null =>
      xs.length === 0 ? null : { median: percentileOfSorted(xs, 50), p99: percentileOfSorted(xs, 99) };
    return { axis: a.name, subsystem: a.subsystem, selected: stats(sel), rest: stats(rest) };
  }

  private rows(selected: Uint8Array, q: Selection): Array<Record<string, number | string>> {
    const key = q.sort ?? 'latency_ns';
    const ord = this.order.get(key);
    if (ord === undefined) throw new RangeError(`no axis ${key}`);
    const limit = Math.min(MAX_ROWS, Math.max(1, q.limit ?? 100));
    const out: Array<Record<string, number | string>> = [];
    const n = ord.length;
    for (let k = 0; k < n && out.length < limit; k++) {
      const i = ord[q.asc === true ? k : n - 1 - k]!;
      if (selected[i] === 0) continue;
      const rec = this.records[i]!;
      const row: Record<string, number | string> = { id: rec.id, token: rec.token };
      for (const a of this.axes) row[a.name] = this.columns.get(a.name)![i]!;
      out.push(row);
    }
    return out;
  }
}

/** Bin edges over [min, max]: equal widths, or equal ratios (log) from the smallest positive value. */
export function binEdges(scale: 'linear' | 'log', min: number, max: number, bins: number): number[] {
  const edges: number[] = [];
  // Log bins start at the smallest positive value, no lower than six decades under the largest; smaller values go in the first bin.
  const log = scale === 'log' && max > 0;
  const first = log ? Math.max(min, max / 1e6, 1) : min;
  if (log) {
    const lo = Math.log(first);
    const hi = Math.log(max);
    for (let b = 0; b <= bins; b++) edges.push(Math.exp(lo + ((hi - lo) * b) / bins));
  } else {
    for (let b = 0; b <= bins; b++) edges.push(min + ((max - min) * b) / bins);
  }
  edges[0] = first;
  edges[bins] = max;
  return edges;
}

/** The bin a value falls in: [edge b, edge b+1), the last bin closed. */
export function binOf(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (v >= edges[mid]!) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Where the time went: among subsystem times (latency itself aside), the one whose median
 * differs most between the selection and the rest, its p99 breaking ties.
 */
function differsMost(cmp: readonly AxisComparison[]): SelectionResult['differsMost'] {
  let best: SelectionResult['differsMost'] = null;
  let bestP99 = 0;
  for (const c of cmp) {
    if (c.subsystem === 'latency' || c.subsystem === 'metric' || c.selected === null || c.rest === null) continue;
    const dm = c.selected.median - c.rest.median;
    const dp = Math.abs(c.selected.p99 - c.rest.p99);
    if (dm === 0 && dp === 0) continue;
    if (best === null || Math.abs(dm) > Math.abs(best.deltaMedian) || (Math.abs(dm) === Math.abs(best.deltaMedian) && dp > bestP99)) {
      best = { subsystem: c.subsystem, axis: c.axis, deltaMedian: dm };
      bestP99 = dp;
    }
  }
  return best;
}

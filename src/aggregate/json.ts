import type { Aggregation, Cell } from './aggregation.js';
import type { HistogramAggregation, HistogramCell } from './histogram-kinds.js';
import { toSnapInt } from './int64.js';
import type { AvgAggregation, ScalarAggregation } from './scalar-kinds.js';
import { joinRows, sortRows } from './sort.js';
import type { KeyValue, SnapInt, SortOptions } from './types.js';

export interface JsonBucket {
  /** The row label DTrace prints ("< 0", "16", ">= 100"). */
  readonly value: string;
  readonly count: number;
}

export interface JsonRow {
  readonly key: (number | string)[];
  readonly value: SnapInt | { count: number; average: SnapInt; total: SnapInt } | JsonBucket[];
}

/** One aggregation for `-f json`: one line per aggregation; integers beyond 2^53 as strings. */
export interface JsonAggregation {
  readonly type: 'aggregation';
  readonly name: string;
  readonly kind: string;
  readonly data: JsonRow[];
}

function jsonKey(k: KeyValue): number | string {
  return typeof k === 'bigint' ? k.toString() : k;
}

/** Rows in printed order; histograms list the buckets DTrace's table would show, zeros included. */
export function aggregationToJson(agg: Aggregation, opts: SortOptions = {}): JsonAggregation {
  const rows = sortRows([agg], joinRows([agg]), opts);
  const data = rows.map((r) => ({ key: r.key.map(jsonKey), value: jsonValue(agg, r.cells[0]!) }));
  return { type: 'aggregation', name: agg.name, kind: agg.kind, data };
}

function jsonValue(agg: Aggregation, cell: Cell): JsonRow['value'] {
  if (agg.isHistogram) return buckets(agg as HistogramAggregation, cell as HistogramCell);
  if (agg.kind === 'stats') {
    const a = agg as unknown as AvgAggregation;
    const c = cell as Parameters<AvgAggregation['count']>[0];
    return { count: a.count(c), average: toSnapInt(a.value(c)), total: toSnapInt(a.total(c)) };
  }
  return toSnapInt((agg as ScalarAggregation<Cell>).value(cell));
}

function buckets(agg: HistogramAggregation, cell: HistogramCell): JsonBucket[] {
  const counts = cell.counts;
  let first = 0;
  while (first < counts.length && counts[first] === 0) first++;
  if (first === counts.length) return [];
  let last = counts.length - 1;
  while (counts[last] === 0) last--;
  const out: JsonBucket[] = [];
  for (let i = Math.max(0, first - 1); i <= Math.min(counts.length - 1, last + 1); i++)
    out.push({ value: agg.layout.label(i), count: Math.trunc(counts[i]! / agg.normal) });
  return out;
}

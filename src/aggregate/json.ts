import type { Aggregation, Cell } from './aggregation.js';
import type { HistogramAggregation, HistogramCell } from './histogram-kinds.js';
import { keyInt, toSnapInt } from './int64.js';
import type { AvgAggregation, ScalarAggregation } from './scalar-kinds.js';
import { joinRows, sortRows } from './sort.js';
import type { KeyValue, SnapInt, SortOptions } from './types.js';

export interface JsonBucket {
  /** The row label DTrace prints ("< 0", "16", ">= 100"). */
  readonly value: string;
  readonly count: number;
}

export type JsonRow =
  | { readonly keys: (number | string)[]; readonly value: SnapInt | { count: number; average: SnapInt; total: SnapInt } }
  | { readonly keys: (number | string)[]; readonly buckets: JsonBucket[] };

/** One aggregation for `-f json`; integers beyond 2^53 as strings. */
export interface JsonAggregation {
  /** With its `@`; the anonymous aggregation is `@`. */
  readonly name: string;
  readonly kind: string;
  readonly rows: JsonRow[];
}

/** A key as the text table prints it (keyIntString at its column's width: `(short)-1` is 65535), as a JSON number. */
function jsonKey(k: KeyValue, width = 16): number | string {
  return typeof k === 'string' ? k : toSnapInt(keyInt(k, width));
}

/**
 * An aggregation as `-f json` prints it: rows in the order the text output prints them (by
 * value, honouring aggsortkey and aggsortrev), values and histogram counts divided by
 * normalize()'s factor as the text tables are; a histogram lists its non-empty buckets.
 */
export function aggregationToJson(agg: Aggregation, opts: SortOptions = {}): JsonAggregation {
  const rows = sortRows([agg], joinRows([agg]), opts).map((r): JsonRow => {
    const keys = r.key.map((k, i) => jsonKey(k, agg.keyWidths[i]));
    const cell = r.cells[0]!;
    return agg.isHistogram
      ? { keys, buckets: buckets(agg as HistogramAggregation, cell as HistogramCell) }
      : { keys, value: value(agg, cell) };
  });
  return { name: '@' + (agg.name === '_' ? '' : agg.name), kind: agg.kind, rows };
}

/** One line of `-f json` output: `{"type":…,"data":…}`; bigints anywhere become strings. */
export function jsonLine(type: string, data: unknown): string {
  return JSON.stringify({ type, data }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) + '\n';
}

function value(agg: Aggregation, cell: Cell): SnapInt | { count: number; average: SnapInt; total: SnapInt } {
  if (agg.kind === 'stats') {
    const a = agg as unknown as AvgAggregation;
    const c = cell as Parameters<AvgAggregation['count']>[0];
    return { count: a.count(c), average: toSnapInt(a.value(c)), total: toSnapInt(a.total(c)) };
  }
  return toSnapInt((agg as ScalarAggregation<Cell>).value(cell));
}

function buckets(agg: HistogramAggregation, cell: HistogramCell): JsonBucket[] {
  const out: JsonBucket[] = [];
  cell.counts.forEach((n, i) => {
    if (n !== 0) out.push({ value: agg.layout.label(i), count: Math.trunc(n / agg.normal) });
  });
  return out;
}

import type { Aggregation, Cell } from './aggregation.js';
import type { HistogramAggregation, HistogramCell } from './histogram-kinds.js';
import { AGGZOOM_SCALE, barRow, countText, distributionHeader } from './bars.js';
import { intString, keyIntString } from './int64.js';
import type { AvgAggregation, ScalarAggregation } from './scalar-kinds.js';
import { joinRows, sortRows, type Row } from './sort.js';
import { formatHistRows, isHistable } from './print-hist.js';
import { formatPackedRows, isPackable } from './print-packed.js';
import type { AggValue, KeyValue, SortOptions } from './types.js';

/*
 * DTrace's default layout, checked against illumos libdtrace/dt_consume.c
 * (dt_print_datum, dt_print_bytes, dt_print_aggs, dt_print_quantize, dt_print_lquantize,
 * dt_print_llquantize, dt_print_quanthist) and cmd/dtrace/dtrace.c (one "\n" before the
 * exit-time dump, no aggregation names, no separator between aggregations), and against the
 * tables in the Dynamic Tracing Guide's "Aggregations" chapter.
 */

/** DTrace's default `stackindent`: frames of a stack key are indented by 14 columns. */
const STACK_INDENT = 14;

/**
 * A key column: strings as "  %-50s", integers as " %16lld" (or " %8d", " %5d", " %3d" for
 * 4-, 2- and 1-byte types: `width`, dt_print_datum's per size, which also decides the sign). A multi-line string is a stack
 * (stack(), ustack(), a profile sample's stack) and prints as dt_print_stack does: a newline,
 * then each frame on its own line indented by `indent` (stackindent), whatever indent the
 * string carried, so the value lands on a line of its own.
 */
export function formatKeyColumn(k: KeyValue, width = 16, indent = STACK_INDENT): string {
  if (typeof k !== 'string') return ' ' + keyIntString(k, width).padStart(width);
  if (!k.includes('\n')) return '  ' + k.padEnd(50);
  let out = '\n';
  const pad = ' '.repeat(Math.max(0, indent));
  for (const frame of k.split('\n')) if (frame.trim() !== '') out += pad + frame.trimStart() + '\n';
  return out;
}

/**
 * The distribution table, starting with its own "\n" as DTrace's does. Bars are shares of the
 * printed total, or with `zoom` (aggzoom) of the largest bucket, which fills 95% of the bar.
 */
export function formatHistogram(
  agg: HistogramAggregation,
  cell: HistogramCell | undefined,
  normal = agg.normal,
  opts: SortOptions = {},
): string {
  const layout = agg.layout;
  const counts = cell?.counts ?? new Float64Array(layout.size);
  let first = 0;
  while (first < counts.length && counts[first] === 0) first++;
  let last = counts.length - 1;
  if (first === counts.length) {
    first = layout.emptyFirst;
    last = layout.emptyLast;
  } else {
    while (last > 0 && counts[last] === 0) last--;
    if (first > 0) first--;
    if (last < counts.length - 1) last++;
  }
  let total = 0;
  let largest = 0;
  let positives = false;
  let negatives = false;
  for (let i = first; i <= last; i++) {
    const c = counts[i]!;
    if (c > 0) positives = true;
    if (c < 0) negatives = true;
    total += Math.abs(c);
    largest = Math.max(largest, Math.abs(c));
  }
  if (opts.aggzoom === true) total = largest * AGGZOOM_SCALE;
  let out = distributionHeader();
  for (let i = first; i <= last; i++)
    out +=
      layout.label(i, first).padStart(16) +
      ' ' +
      barRow(counts[i]!, countText(counts[i]!, normal), total, positives, negatives, opts.encoding);
  return out;
}

/** The value column(s) of one aggregation for one tuple (dt_print_datum). */
export function formatValueColumn(agg: Aggregation, cell: Cell | undefined, opts: SortOptions = {}): string {
  if (agg.isHistogram) return formatHistogram(agg as HistogramAggregation, cell as HistogramCell | undefined, agg.normal, opts);
  const scalar = agg as ScalarAggregation<Cell>;
  if (agg.kind === 'stats') {
    const avg = agg as unknown as AvgAggregation;
    const c = cell as Parameters<AvgAggregation['count']>[0] | undefined;
    if (c === undefined) return ' count 0, average 0, total 0';
    return ` count ${avg.count(c)}, average ${intString(avg.value(c))}, total ${intString(avg.total(c))}`;
  }
  const v: AggValue = cell === undefined ? 0 : scalar.value(cell);
  return ' ' + intString(v).padStart(16);
}

/** One printed line (or block): key columns, each aggregation's value, "\n" (dt_print_aggs). */
export function formatRow(aggs: readonly Aggregation[], row: Row, opts: SortOptions = {}): string {
  let out = '';
  const widths = aggs[0]?.keyWidths ?? [];
  for (let i = 0; i < row.key.length; i++) out += formatKeyColumn(row.key[i]!, widths[i], opts.stackindent ?? STACK_INDENT);
  for (let i = 0; i < aggs.length; i++) out += formatValueColumn(aggs[i]!, row.cells[i], opts);
  return out + '\n';
}

/** The rows of one aggregation (or several joined on keys), without the leading newline. */
export function formatRows(aggs: readonly Aggregation[], opts: SortOptions = {}): string {
  const rows = sortRows(aggs, joinRows(aggs), opts);
  const only = aggs.length === 1 ? aggs[0]! : null;
  if (opts.agghist === true && only !== null && isHistable(only)) return formatHistRows(only, rows, opts);
  if (opts.aggpack === true && only !== null && isPackable(only)) return formatPackedRows(only, rows, opts);
  let out = '';
  for (const row of rows) out += formatRow(aggs, row, opts);
  return out;
}

/** printa(@a) / printa(@a, @b): a blank line, then the rows in DTrace's default layout. */
export function printaDefault(aggs: readonly Aggregation[], opts: SortOptions = {}): string {
  return '\n' + formatRows(aggs, opts);
}

/**
 * What dtrace(1M) prints at exit: one "\n", then every given aggregation's rows in the order
 * given, with no names and nothing between them. Callers pass the aggregations the program
 * did not printa() itself.
 */
export function printAggregationsAtExit(aggs: readonly Aggregation[], opts: SortOptions = {}): string {
  let out = '\n';
  for (const agg of aggs) if (agg.size > 0) out += formatRows([agg], opts);
  return out;
}

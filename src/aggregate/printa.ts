import type { Aggregation, Cell } from './aggregation.js';
import type { HistogramAggregation, HistogramCell } from './histogram-kinds.js';
import { formatHistogram, formatValueColumn } from './print.js';
import { formatCompiled, formatOne, type CompiledFormat, type Conversion } from './printf.js';
import type { ScalarAggregation } from './scalar-kinds.js';
import { joinRows, sortRows } from './sort.js';
import type { SortOptions } from './types.js';

/**
 * printa(fmt, @a[, @b…]): the format is applied once per tuple, as if printf(fmt, key…) with
 * each %@ replaced by the next aggregation's value; several aggregations are joined on their
 * keys, a tuple missing from one shows that aggregation's zero value (DTrace's
 * dtrace_aggregate_walk_joined). A histogram's %@ prints its whole table in place.
 */
export function printaFormatted(fmt: CompiledFormat, aggs: readonly Aggregation[], opts: SortOptions = {}): string {
  let out = '';
  for (const row of sortRows(aggs, joinRows(aggs), opts)) {
    const render = (i: number, conv: Conversion): string =>
      renderValue(aggs[Math.min(i, aggs.length - 1)]!, row.cells[Math.min(i, aggs.length - 1)], conv, opts);
    out += formatCompiled(fmt, row.key, render);
  }
  return out;
}

/** stats prints its "count N, average A, total T" triple for %@, as in the default layout. */
function renderValue(agg: Aggregation, cell: Cell | undefined, conv: Conversion, opts: SortOptions): string {
  if (agg.isHistogram) return formatHistogram(agg as HistogramAggregation, cell as HistogramCell | undefined, agg.normal, opts);
  if (agg.kind === 'stats') return formatValueColumn(agg, cell).trimStart();
  const v = cell === undefined ? 0 : (agg as ScalarAggregation<Cell>).value(cell);
  return formatOne(conv, v);
}

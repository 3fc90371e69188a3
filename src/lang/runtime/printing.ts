import type { Aggregation } from '../../aggregate/aggregation.js';
import type { HistogramAggregation, HistogramCell } from '../../aggregate/histogram-kinds.js';
import { formatHistogram, formatValueColumn, printaDefault } from '../../aggregate/print.js';
import { compileFormat, formatCompiled, formatOne, type CompiledFormat, type PrintfArg } from '../../aggregate/printf.js';
import { joinRows, sortRows } from '../../aggregate/sort.js';
import type { Cell } from '../../aggregate/aggregation.js';
import type { AggValue, SortOptions } from '../../aggregate/types.js';

/** Scalar aggregations print `value(cell)`: the value with normalization applied. */
interface Valued {
  value(cell: Cell): AggValue;
}

export function scalarValue(agg: Aggregation, cell: Cell): AggValue {
  return (agg as unknown as Valued).value(cell);
}

const formats = new Map<string, CompiledFormat>();

/** Formats are constants, so each is parsed once per process. */
export function compiled(fmt: string): CompiledFormat {
  let f = formats.get(fmt);
  if (f === undefined) {
    f = compileFormat(fmt);
    formats.set(fmt, f);
  }
  return f;
}

export function printf(fmt: string, args: readonly PrintfArg[]): string {
  return formatCompiled(compiled(fmt), args);
}

/**
 * printa(fmt, @a[, @b…]): one formatted line per tuple, keys as the leading arguments and
 * each `%@` the next aggregation's value; without a format, DTrace's default layout.
 */
export function printa(fmt: string | null, aggs: readonly Aggregation[], opts: SortOptions): string {
  if (fmt === null) return printaDefault(aggs, opts);
  const f = compiled(fmt);
  let out = '';
  for (const row of sortRows(aggs, joinRows(aggs), opts)) {
    out += formatCompiled(f, row.key as PrintfArg[], (i, conv) => {
      const agg = aggs[Math.min(i, aggs.length - 1)]!;
      const cell = row.cells[Math.min(i, aggs.length - 1)];
      if (agg.isHistogram) return formatHistogram(agg as HistogramAggregation, cell as HistogramCell | undefined);
      if (agg.kind === 'stats') return formatValueColumn(agg, cell).trimStart();
      const v = cell === undefined ? 0 : scalarValue(agg, cell);
      return formatOne(conv.conv === '@' ? { ...conv, conv: 'd' } : conv, v, 0, conv.precision, false);
    });
  }
  return out;
}

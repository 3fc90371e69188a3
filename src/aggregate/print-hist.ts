import type { Aggregation, Cell } from './aggregation.js';
import { AGGZOOM_SCALE, barRow, countText, distributionHeader } from './bars.js';
import { packedKey, packedKeyWidth } from './print-packed.js';
import type { ScalarAggregation } from './scalar-kinds.js';
import type { Row } from './sort.js';
import type { SortOptions } from './types.js';

/*
 * DTrace's `agghist` layout, checked against illumos libdtrace (dt_aggregate.c:
 * dt_aggregate_total, dt_aggregate_walk_sorted; dt_consume.c: dt_print_datum, dt_print_aggs):
 * each key of a count() or sum() is one row of a distribution, its bar the key's share of the
 * aggregation's total (of the absolute values; with aggzoom, the largest fills 95%), under one
 * `key … count` header, the keys in aggpack's widths.
 */

/** Whether `agg` prints as a histogram with agghist: count() and sum(), the kinds DTrace draws. */
export function isHistable(agg: Aggregation): agg is ScalarAggregation<Cell> {
  return agg.kind === 'count' || agg.kind === 'sum';
}

/** The header and one line per row, without the leading blank line. */
export function formatHistRows(agg: ScalarAggregation<Cell>, rows: readonly Row[], opts: SortOptions): string {
  const raw = rows.map((row) => {
    const cell = row.cells[0];
    return cell === undefined ? 0 : agg.value(cell, 1);
  });
  let total = 0;
  let positives = false;
  let negatives = false;
  for (const v of raw) {
    if (v > 0) positives = true;
    if (v < 0) negatives = true;
    const abs = Math.abs(Number(v));
    // dt_aggregate_total truncates each zoomed value to an integer before taking the largest.
    total = opts.aggzoom === true ? Math.max(total, Math.trunc(abs * AGGZOOM_SCALE)) : total + abs;
  }
  const keyWidth = (rows[0]?.key ?? []).reduce<number>((w, k, i) => w + packedKeyWidth(k, agg.keyWidths[i]) + 1, 0);
  let out = distributionHeader(keyWidth);
  rows.forEach((row, r) => {
    for (let i = 0; i < row.key.length; i++) out += packedKey(row.key[i]!, agg.keyWidths[i]);
    const v = raw[r]!;
    out += ' ' + barRow(Number(v), countText(v, agg.normal), total, positives, negatives, opts.encoding);
  });
  return out;
}

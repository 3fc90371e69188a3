import type { Aggregation } from './aggregation.js';
import { LinearLayout, QuantizeLayout } from './buckets.js';
import { AGGZOOM_SCALE, packedCell, packsInUtf8 } from './bars.js';
import type { HistogramAggregation, HistogramCell } from './histogram-kinds.js';
import { intString, keyIntString } from './int64.js';
import type { Row } from './sort.js';
import type { KeyValue, SortOptions } from './types.js';

/*
 * DTrace's `aggpack` layout of quantize() and lquantize(), checked against illumos
 * libdtrace (dt_consume.c: dt_print_quanthdr_packed, dt_print_packed,
 * dt_print_quantize_packed, dt_print_lquantize_packed, dt_print_datum's packed key widths;
 * dt_aggregate.c: dt_aggregate_minmaxbin): one line per key, each bucket one character, under
 * one header per aggregation whose range is that of every key's non-zero buckets.
 */

const QUANTIZE_BUCKETS = 127;
const ZERO = 63;

/** Whether `agg` prints packed with aggpack: quantize and lquantize (DTrace packs no other). */
export function isPackable(agg: Aggregation): agg is HistogramAggregation {
  if (!agg.isHistogram) return false;
  const layout = (agg as HistogramAggregation).layout;
  return layout instanceof QuantizeLayout || layout instanceof LinearLayout;
}

/** The header and one line per row of a packed aggregation, without the leading blank line. */
export function formatPackedRows(agg: HistogramAggregation, rows: readonly Row[], opts: SortOptions): string {
  const zoom = opts.aggzoom === true;
  const utf8 = packsInUtf8(opts.encoding);
  const layout = agg.layout;
  const keyWidth = (rows[0]?.key ?? []).reduce<number>((w, k, i) => w + packedKeyWidth(k, agg.keyWidths[i]) + 1, 0);
  let min: number;
  let max: number;
  let out: string;
  if (layout instanceof LinearLayout) {
    // lquantize shows its whole range, from `< low` to `>= high`.
    min = 0;
    max = layout.levels + 1;
    out = header(keyWidth, 7, 8, max - min + 1);
  } else {
    [min, max] = binRange(rows);
    if (min !== 0 && min !== ZERO) min--;
    if (max < QUANTIZE_BUCKETS - 1) max++;
    out = header(keyWidth, ndigits(bucketValue(min)), ndigits(bucketValue(max)), max - min + 1);
  }
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < row.key.length; i++) line += packedKey(row.key[i]!, agg.keyWidths[i]);
    const counts = (row.cells[0] as HistogramCell | undefined)?.counts ?? new Float64Array(layout.size);
    let total = 0;
    let count = 0;
    for (let i = min; i <= max; i++) {
      const c = counts[i]!;
      total = zoom ? Math.max(total, Math.abs(c) * AGGZOOM_SCALE) : total + Math.abs(c);
      count += c;
    }
    let bars = '';
    for (let i = min; i <= max; i++) bars += packedCell(counts[i]!, total, utf8);
    if (layout instanceof LinearLayout) {
      const top = `>= ${layout.low + layout.levels * layout.step}`;
      line += `${`< ${layout.low}`.padStart(8)} :${bars}: ${top.padEnd(8)} | ${intString(count)}\n`;
    } else {
      const lo = bucketValue(min);
      const hi = bucketValue(max);
      line += ` ${String(lo).padStart(ndigits(lo))} :${bars}: ${String(hi).padEnd(ndigits(hi))} | ${intString(count)}\n`;
    }
    out += line;
  }
  return out;
}

function header(keyWidth: number, minWidth: number, maxWidth: number, buckets: number): string {
  return `\n${keyWidth > 0 ? 'key'.padStart(keyWidth) : ''} ${'min'.padStart(minWidth)} .${'-'.repeat(buckets)}. ${'max'.padEnd(maxWidth)} | count\n`;
}

/** The first and last bucket that is not zero in any row (dt_aggregate_minmaxbin); the zero bucket when none is. */
function binRange(rows: readonly Row[]): [number, number] {
  let lo = -1;
  let hi = -1;
  for (const row of rows) {
    const counts = (row.cells[0] as HistogramCell | undefined)?.counts;
    if (counts === undefined) continue;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] === 0) continue;
      if (lo === -1 || i < lo) lo = i;
      if (i > hi) hi = i;
    }
  }
  return lo === -1 ? [ZERO, ZERO] : [lo, hi];
}

/** DTRACE_QUANTIZE_BUCKETVAL. */
function bucketValue(i: number): bigint {
  if (i === ZERO) return 0n;
  return i > ZERO ? 1n << BigInt(i - ZERO - 1) : -(1n << BigInt(ZERO - 1 - i));
}

/** dt_ndigits, quirks included: a power of ten counts as one digit fewer, and never fewer than 4. */
function ndigits(v: bigint): number {
  let n = 1;
  let cmp = 10n;
  if (v < 0n) {
    v = -v;
    n++;
  }
  while (v > cmp) {
    n++;
    cmp *= 10n;
  }
  return Math.max(4, n);
}

/** dt_print_datum's packed widths: an integer key as wide as its type, a string right-aligned in 16. */
export function packedKeyWidth(k: KeyValue, width: number | undefined): number {
  return typeof k === 'string' ? 16 : (width ?? 16);
}

export function packedKey(k: KeyValue, width: number | undefined): string {
  return ' ' + (typeof k === 'string' ? k : keyIntString(k, width ?? 16)).padStart(packedKeyWidth(k, width));
}

import { intString } from './int64.js';
import type { Encoding } from './types.js';

/*
 * The characters of DTrace's histogram bars, checked against illumos libdtrace (dt_consume.c:
 * dt_print_quantline, dt_print_quantline_utf8, dt_print_packed, dt_quantize_total;
 * dt_options.c: dt_opt_encoding). `encoding=utf8` draws a bar in eighths of U+2588 and a packed
 * bucket in U+2581…U+2588; `ascii` in `@` and `_xX`; left unset, a bar is `@` and a packed
 * bucket follows TERM.
 */

const BAR = 40;
const ATS = '@'.repeat(BAR);
const SPACES = ' '.repeat(BAR);

/** With aggzoom the largest bucket fills 95% of the bar (DTRACE_AGGZOOM_MAX), as DTrace scales it. */
export const AGGZOOM_SCALE = 1 / 0.95;

/** The count after a bar: `val / normal` truncated as C divides, in DTrace's `%-9lld`. */
export function countText(v: number | bigint, normal: number): string {
  if (normal === 1) return intString(v).padEnd(9);
  return intString(typeof v === 'bigint' ? v / BigInt(normal) : Math.trunc(v / normal)).padEnd(9);
}

/** dt_print_quanthdr: `value` over a histogram's labels, or `key` over `keyWidth` columns of keys (agghist). */
export function distributionHeader(keyWidth = 0): string {
  const first = keyWidth > 0 ? 'key'.padStart(keyWidth) : 'value'.padStart(16);
  return `\n${first} ${'------------- Distribution -------------'.padStart(41)} ${'count'.padEnd(9)}\n`;
}

/**
 * One row's bar and `count` (dt_print_quantline): its share of `total`; halves either side of a
 * centre line when the values have both signs. UTF-8 draws only bars of one sign, as DTrace does.
 */
export function barRow(
  val: number,
  count: string,
  total: number,
  positives: boolean,
  negatives: boolean,
  encoding: Encoding = 'unset',
): string {
  if (!negatives) {
    if (positives && encoding === 'utf8') return utf8Bar(val, count, total);
    const depth = positives ? Math.floor((Math.abs(val) * BAR) / total + 0.5) : 0;
    return `|${ATS.slice(BAR - depth)}${SPACES.slice(depth)} ${count}\n`;
  }
  if (!positives) {
    const depth = Math.floor((Math.abs(val) * BAR) / total + 0.5);
    return `${SPACES.slice(depth)}${ATS.slice(BAR - depth)}| ${count}\n`;
  }
  const half = BAR / 2;
  const depth = Math.floor((Math.abs(val) * half) / total + 0.5);
  if (val <= 0) return `${SPACES.slice(half + depth)}${ATS.slice(BAR - depth)}|${' '.repeat(half)} ${count}\n`;
  return `${' '.repeat(half)}|${ATS.slice(BAR - depth)}${SPACES.slice(half + depth)} ${count}\n`;
}

/** dt_print_quantline_utf8: whole cells of U+2588, then the remainder in eighths (U+258F is one). */
function utf8Bar(val: number, count: string, total: number): string {
  const f = (Math.abs(val) * BAR) / total;
  const whole = Math.floor(f);
  const partial = Math.floor((f - whole) * 8);
  let bar = '\u2588'.repeat(whole);
  if (partial !== 0) bar += String.fromCodePoint(0x258f - (partial - 1));
  return `|${bar}${SPACES.slice(whole + (partial !== 0 ? 1 : 0))} ${count}\n`;
}

const ASCII = '__xxxxXX';
const NEGATIVE = 'vvvvVV';

/** dt_print_packed: one character by the bucket's share of the total. */
export function packedCell(c: number, total: number, utf8: boolean): string {
  if (c === 0 || total === 0) return ' ';
  if (c < 0) return NEGATIVE[Math.floor((Math.abs(c) * (NEGATIVE.length - 1)) / total + 0.5)]!;
  const level = Math.floor((c * 7) / total + 0.5);
  return utf8 ? String.fromCodePoint(0x2581 + level) : ASCII[level]!;
}

/** Whether packed buckets are UTF-8: as `encoding` says, else not on the terminals DTrace knows cannot show it. */
export function packsInUtf8(encoding: Encoding = 'unset'): boolean {
  if (encoding !== 'unset') return encoding === 'utf8';
  const term = process.env.TERM;
  return !(term === 'sun' || term === 'sun-color' || term === 'dumb');
}

import type { AggValue, SnapInt } from './types.js';

// Exact integer arithmetic over number | bigint: numbers while the result is a safe integer,
// bigints beyond. Keeps the hot paths on doubles and the rare huge sums exact.

export const MAX_SAFE = Number.MAX_SAFE_INTEGER;
export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;

/** A bigint that fits a safe integer becomes a number, so 5n and 5 are the same value. */
export function normInt(v: AggValue): AggValue {
  if (typeof v === 'number') return v === 0 ? 0 : v;
  return v <= 9007199254740991n && v >= -9007199254740991n ? Number(v) : v;
}

/** NaN and infinities (never D integers) count as 0 rather than throwing inside a clause. */
export function toBig(v: AggValue): bigint {
  if (typeof v === 'bigint') return v;
  return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
}

export function addInt(a: AggValue, b: AggValue): AggValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (s <= MAX_SAFE && s >= -MAX_SAFE) return s;
  }
  return normInt(toBig(a) + toBig(b));
}

export function mulInt(a: AggValue, b: AggValue): AggValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const p = a * b;
    if (p <= MAX_SAFE && p >= -MAX_SAFE) return p;
  }
  return normInt(toBig(a) * toBig(b));
}

/** C's signed division: truncates toward zero. Division by zero yields 0 (callers guard). */
export function divInt(a: AggValue, b: AggValue): AggValue {
  if (typeof a === 'number' && typeof b === 'number') {
    if (b === 0) return 0;
    const q = Math.trunc(a / b);
    return q === 0 ? 0 : q;
  }
  const d = toBig(b);
  return d === 0n ? 0 : normInt(toBig(a) / d);
}

export function cmpInt(a: AggValue, b: AggValue): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Floor of the square root of a non-negative integer (DTrace's dt_sqrt_128). */
export function isqrt(n: bigint): bigint {
  if (n <= 0n) return 0n;
  if (n < 4503599627370496n) return BigInt(Math.floor(Math.sqrt(Number(n))));
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x;
}

export function toSnapInt(v: AggValue): SnapInt {
  return typeof v === 'bigint' ? v.toString() : v;
}

export function fromSnapInt(s: SnapInt): AggValue {
  return typeof s === 'string' ? normInt(BigInt(s)) : s;
}

/** dt_print_datum's C conversion per key column width: `%d` of a uint8_t/uint16_t (unsigned), of a uint32_t (as int), `%lld`. */
const KEY_BITS: ReadonlyMap<number, (v: bigint) => bigint> = new Map([
  [3, (v: bigint) => BigInt.asUintN(8, v)],
  [5, (v: bigint) => BigInt.asUintN(16, v)],
  [8, (v: bigint) => BigInt.asIntN(32, v)],
  [16, (v: bigint) => BigInt.asIntN(64, v)],
]);

/**
 * An integer aggregation key (or `trace()` record, which dt_consume_cpu prints with the
 * same conversions) as DTrace prints it in a column of `width` (its size's): a
 * `char` or `short` key reads back unsigned (`(short)-1` is 65535), a 4-byte one as `int`
 * (`(uint32_t)-1` is -1), an 8-byte one as `long long`. A non-integer number prints as itself.
 */
export function keyIntString(v: number | bigint, width: number): string {
  return intString(keyInt(v, width));
}

/** The integer keyIntString prints, as a value: what `-f json` shows of a key or a `trace()` record. */
export function keyInt(v: number | bigint, width: number): number | bigint {
  const conv = KEY_BITS.get(width);
  if (conv === undefined || (typeof v === 'number' && !Number.isInteger(v))) return v;
  return normInt(conv(toBig(v)));
}

/** `%lld` of an integer value; a double beyond 2^53 prints its exact integer value, as C would. */
export function intString(v: AggValue): string {
  if (typeof v === 'bigint') return v.toString();
  if (v <= MAX_SAFE && v >= -MAX_SAFE) return String(v === 0 ? 0 : Math.trunc(v));
  return toBig(v).toString();
}

import { assemble } from './printf-assemble.js';
import type { Conversion } from './printf.js';

// %e %f %g with C's digits: the double's exact binary value is rounded in BigInt arithmetic,
// ties to even, as glibc does (JavaScript's toFixed rounds ties up: 2.5 → "3", C prints "2").

export function formatFloat(conv: Conversion, x: number, width: number, precision: number, minus: boolean): string {
  const neg = x < 0 || Object.is(x, -0);
  const sign = neg ? '-' : conv.plus ? '+' : conv.space ? ' ' : '';
  const a = Math.abs(x);
  let digits: string;
  if (!Number.isFinite(a)) {
    digits = Number.isNaN(a) ? 'nan' : 'inf';
    return assemble(sign, '', digits, { ...conv, zero: false }, width, -1, minus);
  }
  const p = precision < 0 ? 6 : precision;
  if (conv.conv === 'f') digits = fixed(a, p, conv.alt);
  else if (conv.conv === 'e') digits = exponential(a, p, conv.alt);
  else digits = general(a, p === 0 ? 1 : p, conv.alt);
  return assemble(sign, '', digits, conv, width, -1, minus);
}

/** The double as m · 2^e exactly (m an integer), so decimal rounding can be exact. */
function decompose(a: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  return exp === 0 ? [frac, -1074] : [frac | (1n << 52n), exp - 1075];
}

/** round(a · 10^k) with ties to even, as glibc's printf rounds exact binary values. */
function roundScaled(a: number, k: number): bigint {
  const [m, e] = decompose(a);
  let num = m;
  let den = 1n;
  if (k >= 0) num *= 10n ** BigInt(k);
  else den *= 10n ** BigInt(-k);
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  const q = num / den;
  const r2 = (num % den) * 2n;
  return r2 > den || (r2 === den && (q & 1n) === 1n) ? q + 1n : q;
}

function fixed(a: number, p: number, alt: boolean): string {
  const digits = roundScaled(a, p)
    .toString()
    .padStart(p + 1, '0');
  const s = p === 0 ? digits : digits.slice(0, -p) + '.' + digits.slice(-p);
  return alt && p === 0 ? s + '.' : s;
}

/** [mantissa digits (p + 1 of them), decimal exponent] of a rounded to p + 1 significant digits. */
function significant(a: number, p: number): [string, number] {
  if (a === 0) return ['0'.repeat(p + 1), 0];
  let x = Math.floor(Math.log10(a));
  for (;;) {
    const n = roundScaled(a, p - x);
    const s = n.toString();
    if (s.length > p + 1) x++;
    else if (s.length < p + 1) x--;
    else return [s, x];
  }
}

function exponential(a: number, p: number, alt: boolean): string {
  const [digits, x] = significant(a, p);
  const mant = digits[0]! + (p > 0 || alt ? '.' : '') + digits.slice(1);
  return mant + 'e' + (x < 0 ? '-' : '+') + String(Math.abs(x)).padStart(2, '0');
}

function general(a: number, p: number, alt: boolean): string {
  const x = significant(a, p - 1)[1];
  let s = p > x && x >= -4 ? fixed(a, p - 1 - x, alt) : exponential(a, p - 1, alt);
  if (!alt) {
    const e = s.indexOf('e');
    let mant = e < 0 ? s : s.slice(0, e);
    const tail = e < 0 ? '' : s.slice(e);
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    s = mant + tail;
  }
  return s;
}

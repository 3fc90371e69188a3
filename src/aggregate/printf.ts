import { MscopeError } from '../core/index.js';
import { assemble } from './printf-assemble.js';
import { formatFloat } from './printf-float.js';
import { formatTime822, formatTimeY } from './printf-time.js';
import { AggErrorCode } from './types.js';

/**
 * D's printf: conversions d i u x X o s c e f g p %, DTrace's `%Y` and `%T` (a time in
 * nanoseconds since the epoch, as a date) and `%a`/`%A` (a symbol: a function's name, or an
 * address in hex), flags - 0 + space #, width and precision
 * (either may be *), length modifiers (h hh l ll L j z t) accepted and ignored, and in printa
 * `%@` (optionally `%@d`, `%@u`…) for an aggregation's value. Integers are 64-bit, as in D:
 * %d wraps to int64, %u %x %o show the two's-complement uint64. Formats are parsed once.
 * Hand-written: no printf library (sprintf-js, util.format) does 64-bit BigInt, `%@` or D's checks.
 */

export type PrintfArg = number | bigint | string;

/** What a conversion's argument is converted to before formatting. */
export type ArgType = 'int' | 'string' | 'float' | 'char' | 'symbol';

export interface Conversion {
  readonly kind: 'conv';
  /** d i u x X o s c e f g p Y T a A, or '@' when the aggregation conversion has no letter. */
  readonly conv: string;
  readonly minus: boolean;
  readonly zero: boolean;
  readonly plus: boolean;
  readonly space: boolean;
  readonly alt: boolean;
  /** -1 when absent, -2 for '*'. */
  readonly width: number;
  readonly precision: number;
  /** %@…: the value of an aggregation, in printa. */
  readonly agg: boolean;
  /** Offset of the '%' in the format string, for diagnostics. */
  readonly offset: number;
  readonly text: string;
}

export type Segment = string | Conversion;

export interface CompiledFormat {
  readonly source: string;
  readonly segments: readonly Segment[];
  /** Conversions that take an argument (not %@), in order; `*` widths count as integer arguments. */
  readonly argTypes: readonly ArgType[];
  /** How many %@ conversions the format has. */
  readonly aggCount: number;
}

const FLAGS = '-0+ #';
const LENGTHS = 'hljztL';
const CONVERSIONS = 'diuxXoscefgpaAEGSYT';

function badFormat(fmt: string, offset: number, message: string): MscopeError {
  const err = new MscopeError(AggErrorCode.BadFormat, `${message} in format "${fmt}" at offset ${offset}`);
  (err as MscopeError & { offset?: number }).offset = offset;
  return err;
}

export function compileFormat(fmt: string): CompiledFormat {
  const segments: Segment[] = [];
  const argTypes: ArgType[] = [];
  let aggCount = 0;
  let lit = '';
  let i = 0;
  while (i < fmt.length) {
    const ch = fmt[i]!;
    if (ch !== '%') {
      lit += ch;
      i++;
      continue;
    }
    const start = i++;
    if (fmt[i] === '%') {
      lit += '%';
      i++;
      continue;
    }
    let minus = false,
      zero = false,
      plus = false,
      space = false,
      alt = false,
      agg = false;
    let width = -1,
      precision = -1;
    for (; i < fmt.length; i++) {
      const c = fmt[i]!;
      if (c === '@') agg = true;
      else if (FLAGS.includes(c)) {
        if (c === '-') minus = true;
        else if (c === '0') zero = true;
        else if (c === '+') plus = true;
        else if (c === ' ') space = true;
        else alt = true;
      } else break;
    }
    if (fmt[i] === '*') {
      width = -2;
      argTypes.push('int');
      i++;
    } else {
      for (; i < fmt.length && fmt[i]! >= '0' && fmt[i]! <= '9'; i++) width = (width < 0 ? 0 : width * 10) + Number(fmt[i]);
    }
    if (fmt[i] === '@') {
      agg = true;
      i++;
    }
    if (fmt[i] === '.') {
      i++;
      precision = 0;
      if (fmt[i] === '*') {
        precision = -2;
        argTypes.push('int');
        i++;
      } else for (; i < fmt.length && fmt[i]! >= '0' && fmt[i]! <= '9'; i++) precision = precision * 10 + Number(fmt[i]);
    }
    if (fmt[i] === '@') {
      agg = true;
      i++;
    }
    while (i < fmt.length && LENGTHS.includes(fmt[i]!)) i++;
    let conv = fmt[i];
    if (conv === undefined || !CONVERSIONS.includes(conv) || conv === 'S') {
      if (!agg) {
        if (conv === undefined) throw badFormat(fmt, start, 'incomplete conversion');
        throw badFormat(fmt, start, `unsupported conversion %${conv}`);
      }
      conv = '@';
    } else i++;
    if (lit !== '') segments.push(lit);
    lit = '';
    if (conv === 'E' || conv === 'G') conv = conv.toLowerCase();
    if (agg) aggCount++;
    else argTypes.push(argTypeOf(conv));
    segments.push({ kind: 'conv', conv, minus, zero, plus, space, alt, width, precision, agg, offset: start, text: fmt.slice(start, i) });
  }
  if (lit !== '') segments.push(lit);
  return { source: fmt, segments, argTypes, aggCount };
}

function argTypeOf(conv: string): ArgType {
  if (conv === 's') return 'string';
  if (conv === 'c') return 'char';
  if (conv === 'a' || conv === 'A') return 'symbol';
  return 'efg'.includes(conv) ? 'float' : 'int';
}

/** The conversion each printf argument meets, in order: its letter (`*` for a width or precision) and its text. */
export function argConversions(fmt: CompiledFormat): Array<{ conv: string; text: string }> {
  const out: Array<{ conv: string; text: string }> = [];
  for (const seg of fmt.segments) {
    if (typeof seg === 'string' || seg.agg) continue;
    if (seg.width === -2) out.push({ conv: '*', text: '*' });
    if (seg.precision === -2) out.push({ conv: '*', text: '.*' });
    out.push({ conv: seg.conv, text: seg.text });
  }
  return out;
}

/** Renders an aggregation value for a %@ conversion (a table for histograms). */
export type AggValueRenderer = (index: number, conv: Conversion) => string;

/** printf(fmt, args…). In printa, `aggValue` renders the i-th %@. Missing args read as 0/"". */
export function formatCompiled(fmt: CompiledFormat, args: readonly PrintfArg[], aggValue?: AggValueRenderer): string {
  let out = '';
  let a = 0;
  let aggIndex = 0;
  for (const seg of fmt.segments) {
    if (typeof seg === 'string') {
      out += seg;
      continue;
    }
    let width = seg.width;
    let precision = seg.precision;
    let minus = seg.minus;
    if (width === -2) {
      width = Number(args[a++] ?? 0);
      if (width < 0) {
        minus = true;
        width = -width;
      }
    }
    if (precision === -2) {
      precision = Number(args[a++] ?? 0);
      if (precision < 0) precision = -1;
    }
    if (seg.agg) {
      const text = aggValue === undefined ? '' : aggValue(aggIndex++, seg);
      out += pad(text, width, minus);
      continue;
    }
    out += formatOne(seg, args[a++], width, precision, minus);
  }
  return out;
}

export function sprintf(fmt: string, ...args: PrintfArg[]): string {
  return formatCompiled(compileFormat(fmt), args);
}

function pad(s: string, width: number, left: boolean): string {
  if (width <= s.length) return s;
  return left ? s.padEnd(width) : s.padStart(width);
}

function toInt(v: PrintfArg | undefined): bigint {
  if (v === undefined) return 0n;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  const n = Number(v);
  return Number.isFinite(n) ? BigInt(Math.trunc(n)) : 0n;
}

/** Formats one conversion of an aggregation value or key; exported for printa. */
export function formatOne(
  conv: Conversion,
  v: PrintfArg | undefined,
  width = conv.width,
  precision = conv.precision,
  minus = conv.minus,
): string {
  switch (conv.conv) {
    case 's': {
      let s = v === undefined ? '' : typeof v === 'string' ? v : String(v);
      if (precision >= 0) s = s.slice(0, precision);
      return pad(s, width, minus);
    }
    case 'Y':
    case 'T':
      return formatOne(
        { ...conv, conv: 's' },
        (conv.conv === 'Y' ? formatTimeY : formatTime822)(BigInt.asIntN(64, toInt(v))),
        width,
        precision,
        minus,
      );
    case 'a':
    case 'A':
      // A symbol: a function's name arrives as a string; any other value is an address, in hex.
      if (typeof v === 'string') return formatOne({ ...conv, conv: 's' }, v, width, -1, minus);
      return pad(`0x${BigInt.asUintN(64, toInt(v)).toString(16)}`, width, minus);
    case 'c': {
      const s = typeof v === 'string' ? v.slice(0, 1) : String.fromCharCode(Number(BigInt.asUintN(8, toInt(v))));
      return pad(s, width, minus);
    }
    case 'e':
    case 'f':
    case 'g':
      return formatFloat(conv, typeof v === 'bigint' ? Number(v) : Number(v ?? 0), width, precision, minus);
    case 'd':
    case 'i':
    case '@': {
      const n = BigInt.asIntN(64, toInt(v));
      const sign = n < 0n ? '-' : conv.plus ? '+' : conv.space ? ' ' : '';
      return assemble(sign, '', intDigits(n < 0n ? -n : n, 10, precision), conv, width, precision, minus);
    }
    default: {
      const n = BigInt.asUintN(64, toInt(v));
      const radix = conv.conv === 'o' ? 8 : conv.conv === 'u' ? 10 : 16;
      let digits = intDigits(n, radix, precision);
      if (conv.conv === 'X') digits = digits.toUpperCase();
      let prefix = '';
      if (conv.conv === 'p') prefix = '0x';
      else if (conv.alt && n !== 0n && (conv.conv === 'x' || conv.conv === 'X')) prefix = conv.conv === 'x' ? '0x' : '0X';
      else if (conv.alt && conv.conv === 'o' && !digits.startsWith('0')) digits = '0' + digits;
      return assemble('', prefix, digits, conv, width, precision, minus);
    }
  }
}

function intDigits(n: bigint, radix: number, precision: number): string {
  if (precision === 0 && n === 0n) return '';
  const s = n.toString(radix);
  return precision > s.length ? s.padStart(precision, '0') : s;
}

import { MscopeError } from '../core/index.js';
import { AggErrorCode, type AggParams } from './types.js';

/**
 * Bucket layout of one histogram kind: which bucket a value falls in, each row's label, and
 * the weights DTrace sorts histograms by. Semantics follow illumos dtrace.c
 * (dtrace_aggregate_quantize, _lquantize, _llquantize_bucket) and the labels
 * dt_consume.c (dt_print_quantize, _lquantize, _llquantize).
 */
export interface BucketLayout {
  readonly size: number;
  /** Bucket of a safe-integer value. */
  bucket(v: number): number;
  /** Bucket of a bigint value (outside the safe range). */
  bucketBig(v: bigint): number;
  /** Row label as DTrace prints it (before right-aligning to 16 columns). */
  label(i: number): string;
  /** The value a bucket stands for when DTrace orders histograms (dt_aggregate.c). */
  weight(i: number): number;
  /** Bucket holding zero, or -1: ties of weighted sums are broken on it. */
  readonly zeroBucket: number;
  /** Rows printed when every bucket is zero. */
  readonly emptyFirst: number;
  readonly emptyLast: number;
}

const ZERO = 63;

function bitLength(m: bigint): number {
  return m.toString(2).length;
}

/** quantize: 127 power-of-two buckets, zero in the middle, negatives mirrored. */
export class QuantizeLayout implements BucketLayout {
  readonly size = 127;
  readonly zeroBucket = ZERO;
  readonly emptyFirst = ZERO - 1;
  readonly emptyLast = ZERO + 1;

  bucket(v: number): number {
    if (v >= 1) return ZERO + 1 + Math.min(62, floorLog2(v));
    if (v > -1) return ZERO;
    // Row -2^k holds (-2^(k+1), -2^k]: the first bucket from the most negative with v <= b.
    return ZERO - 1 - Math.min(62, floorLog2(-v));
  }

  bucketBig(v: bigint): number {
    if (v >= 0n) return ZERO + 1 + Math.min(62, bitLength(v) - 1);
    return ZERO - 1 - Math.min(62, bitLength(-v) - 1);
  }

  label(i: number): string {
    if (i === ZERO) return '0';
    if (i > ZERO) return (1n << BigInt(i - ZERO - 1)).toString();
    return (-(1n << BigInt(ZERO - 1 - i))).toString();
  }

  weight(i: number): number {
    if (i === ZERO) return 0;
    return i > ZERO ? 2 ** (i - ZERO - 1) : -(2 ** (ZERO - 1 - i));
  }
}

function floorLog2(v: number): number {
  if (v < 4294967296) return 31 - Math.clz32(v);
  const hi = Math.floor(v / 4294967296);
  return hi < 4294967296 ? 63 - Math.clz32(hi) : Math.floor(Math.log2(v));
}

/** lquantize(v, low, high, step): "< low", levels of width step, ">= low + levels·step". */
export class LinearLayout implements BucketLayout {
  readonly size: number;
  readonly zeroBucket: number;
  readonly emptyFirst = 0;
  readonly emptyLast = 2;
  readonly levels: number;

  constructor(
    readonly low: number,
    readonly high: number,
    readonly step: number,
  ) {
    this.levels = Math.floor((high - low) / step);
    this.size = this.levels + 2;
    this.zeroBucket = linearZeroBucket(low, step, this.levels);
  }

  bucket(v: number): number {
    if (v < this.low) return 0;
    const level = Math.floor((v - this.low) / this.step);
    return level < this.levels ? level + 1 : this.levels + 1;
  }

  bucketBig(v: bigint): number {
    return v < 0n ? 0 : this.levels + 1;
  }

  label(i: number): string {
    if (i === 0) return `< ${this.low}`;
    if (i === this.levels + 1) return `>= ${this.low + this.levels * this.step}`;
    return String(this.low + (i - 1) * this.step);
  }

  weight(i: number): number {
    if (i === 0) return this.low - 1;
    if (i === this.levels + 1) return this.low + this.levels * this.step + 1;
    return this.low + (i - 1) * this.step;
  }
}

/** The bucket whose sort weight is 0 (dt_aggregate_lquantizedzero), or -1. */
function linearZeroBucket(low: number, step: number, levels: number): number {
  if (low - 1 === 0) return 0;
  if (low <= 0 && -low % step === 0 && -low / step < levels) return -low / step + 1;
  if (low + levels * step + 1 === 0) return levels + 1;
  return -1;
}

/**
 * llquantize(v, factor, low, high, steps): one "< factor^low" bucket, then each order of
 * magnitude [factor^m, factor^(m+1)) split into `steps` linear buckets (the ones overlapping
 * the previous magnitude dropped), then ">= factor^(high+1)". As in illumos, values below
 * factor^low (negatives included) all land in the first bucket.
 */
export class LogLinearLayout implements BucketLayout {
  readonly size: number;
  /** dt_aggregate_llquantizedcmp breaks ties on the first ("< factor^low") bucket. */
  readonly zeroBucket = 0;
  readonly emptyFirst = 0;
  readonly emptyLast = 1;
  /** Lower bound of bucket i + 1; the last entry is where the overflow bucket starts. */
  private readonly bounds: number[];

  constructor(
    readonly factor: number,
    readonly lowMag: number,
    readonly highMag: number,
    readonly steps: number,
  ) {
    const bounds: number[] = [];
    let value = factor ** lowMag;
    let next = value * factor;
    let width = next > steps ? next / steps : 1;
    for (let order = lowMag; order <= highMag;) {
      bounds.push(value);
      value += width;
      if (value !== next) continue;
      next = value * factor;
      width = next > steps ? next / steps : 1;
      order++;
    }
    bounds.push(value);
    this.bounds = bounds;
    this.size = bounds.length + 1;
  }

  bucket(v: number): number {
    const b = this.bounds;
    if (v < b[0]!) return 0;
    let lo = 0;
    let hi = b.length - 1;
    if (v >= b[hi]!) return hi + 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (v >= b[mid]!) lo = mid;
      else hi = mid;
    }
    return lo + 1;
  }

  bucketBig(v: bigint): number {
    return v < 0n ? 0 : this.size - 1;
  }

  label(i: number): string {
    if (i === 0) return `< ${this.bounds[0]}`;
    if (i === this.size - 1) return `>= ${this.bounds[i - 1]}`;
    return String(this.bounds[i - 1]);
  }

  weight(i: number): number {
    return i === 0 ? this.bounds[0]! - 1 : this.bounds[i - 1]!;
  }
}

function badParams(message: string): MscopeError {
  return new MscopeError(AggErrorCode.BadParams, message);
}

function isInt(n: number | undefined): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

export function linearLayout(p: AggParams): LinearLayout {
  const { low, high } = p;
  const step = p.step ?? 1;
  if (!isInt(low) || !isInt(high) || !isInt(step)) throw badParams('lquantize( ) needs integer low, high and step');
  if (step <= 0) throw badParams('lquantize( ) step must be greater than zero');
  if (high <= low) throw badParams('lquantize( ) upper bound must be greater than lower bound');
  const levels = Math.floor((high - low) / step);
  if (levels < 1) throw badParams('lquantize( ) step must be smaller than high - low');
  if (levels > 65535) throw badParams(`lquantize( ) has ${levels} levels; at most 65535 are allowed`);
  return new LinearLayout(low, high, step);
}

export function logLinearLayout(p: AggParams): LogLinearLayout {
  const { factor, lowMag, high, steps } = p;
  if (!isInt(factor) || !isInt(lowMag) || !isInt(high) || !isInt(steps))
    throw badParams('llquantize( ) needs integer factor, low, high and steps');
  if (factor < 2) throw badParams('llquantize( ) factor must be at least 2');
  if (lowMag < 0) throw badParams('llquantize( ) low magnitude must be non-negative');
  if (high <= lowMag) throw badParams('llquantize( ) high magnitude must be greater than low magnitude');
  if (steps < factor || steps % factor !== 0) throw badParams('llquantize( ) steps must be a multiple of factor');
  if (factor ** (high + 1) > Number.MAX_SAFE_INTEGER) throw badParams('llquantize( ) factor^(high + 1) must stay below 2^53');
  for (let m = lowMag + 1; m <= high + 1; m++) {
    const next = factor ** m;
    if (next > steps && next % steps !== 0) throw badParams(`llquantize( ) steps (${steps}) must evenly divide ${factor}^${m}`);
  }
  return new LogLinearLayout(factor, lowMag, high, steps);
}

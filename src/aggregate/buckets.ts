import { MscopeError } from '../core/index.js';
import { AggErrorCode, type AggParams } from './types.js';

/**
 * Bucket layout of one histogram kind: which bucket a value falls in, each row's label, and
 * the weights DTrace sorts histograms by. quantize and lquantize follow illumos dtrace.c
 * (dtrace_aggregate_quantize, _lquantize) and the labels dt_consume.c (dt_print_quantize,
 * _lquantize); llquantize follows DTrace for Linux, which extends illumos's.
 */
export interface BucketLayout {
  readonly size: number;
  /** Bucket of a safe-integer value. */
  bucket(v: number): number;
  /** Bucket of a bigint value (outside the safe range). */
  bucketBig(v: bigint): number;
  /** Row label as DTrace prints it (before right-aligning to 16 columns); `firstPrinted` is the first row of the table. */
  label(i: number, firstPrinted?: number): string;
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
 * llquantize(v, factor, low, high, steps), as DTrace for Linux lays it out (dt_consume.c,
 * dt_print_llquantize): one bucket for |v| < factor^low in the middle; on each side, each
 * order of magnitude [factor^m, factor^(m+1)) split into buckets of width factor^(m+1)/steps
 * (at least 1; fewer than `steps` when steps < factor); then "<= -factor^(high+1)" and
 * ">= factor^(high+1)" at the ends. Negative values mirror positive ones.
 */
export class LogLinearLayout implements BucketLayout {
  readonly size: number;
  /** The middle bucket, |v| < factor^low. */
  readonly zeroBucket: number;
  readonly emptyFirst: number;
  readonly emptyLast: number;
  /** Lower bounds of the positive buckets; the last is where the overflow bucket starts. */
  private readonly bounds: number[];
  private readonly bigBounds: bigint[];

  constructor(
    readonly factor: number,
    readonly lowMag: number,
    readonly highMag: number,
    readonly steps: number,
  ) {
    const f = BigInt(factor);
    const s = BigInt(steps);
    const bounds: bigint[] = [f ** BigInt(lowMag)];
    let mag = lowMag;
    const stepsPerFactor = Math.floor(steps / factor);
    if (lowMag === 0 && steps > factor) {
      // Widths below 1 are 1: the first magnitude holds 1 … factor - 1.
      for (let v = 2n; v <= f; v++) bounds.push(v);
      mag++;
    }
    for (; mag <= highMag; mag++) {
      const width = f ** BigInt(mag + 1) / s;
      for (let step = BigInt(stepsPerFactor + 1); step <= s; step++) bounds.push(step * width);
    }
    this.bigBounds = bounds;
    this.bounds = bounds.map(Number);
    const side = bounds.length - 1;
    this.zeroBucket = side + 1;
    this.size = 2 * side + 3;
    this.emptyFirst = this.zeroBucket;
    this.emptyLast = this.zeroBucket + 2;
  }

  /** Index among the positive buckets (0 = the middle one, side + 1 = overflow) of |v|. */
  private rank(a: number): number {
    const b = this.bounds;
    if (a < b[0]!) return 0;
    let lo = 0;
    let hi = b.length - 1;
    if (a >= b[hi]!) return hi + 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (a >= b[mid]!) lo = mid;
      else hi = mid;
    }
    return lo + 1;
  }

  bucket(v: number): number {
    return v < 0 ? this.zeroBucket - this.rank(-v) : this.zeroBucket + this.rank(v);
  }

  bucketBig(v: bigint): number {
    const a = v < 0n ? -v : v;
    const b = this.bigBounds;
    let r = 0;
    while (r < b.length && a >= b[r]!) r++;
    return v < 0n ? this.zeroBucket - r : this.zeroBucket + r;
  }

  /** `firstPrinted`: DTrace says "< N" rather than "abs() < N" when no negative row is printed. */
  label(i: number, firstPrinted = 0): string {
    const z = this.zeroBucket;
    const b = this.bigBounds;
    if (i === z) {
      if (b[0] === 1n) return '0';
      return firstPrinted >= z ? `< ${b[0]}` : `abs() < ${b[0]}`;
    }
    if (i === 0) return `<= -${b[b.length - 1]}`;
    if (i === this.size - 1) return `>= ${b[b.length - 1]}`;
    return i > z ? String(b[i - z - 1]) : `-${b[z - i - 1]}`;
  }

  weight(i: number): number {
    const z = this.zeroBucket;
    if (i === z) return 0;
    return i > z ? this.bounds[i - z - 1]! : -this.bounds[z - i - 1]!;
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

/**
 * DTrace for Linux's rules (dt_cg.c): 16-bit unsigned parameters, factor ≥ 2, high ≥ low,
 * factor^(high+1) within 64 bits; steps < factor must divide factor; steps > factor must be a
 * multiple of factor and divide factor^(low+1) (factor² when low is 0).
 */
export function logLinearLayout(p: AggParams): LogLinearLayout {
  const { factor, lowMag, high, steps } = p;
  if (!isInt(factor) || !isInt(lowMag) || !isInt(high) || !isInt(steps))
    throw badParams('llquantize( ) needs integer factor, low, high and steps');
  const u16 = (v: number): boolean => v >= 0 && v <= 65535;
  if (!u16(factor) || factor < 2)
    throw badParams('llquantize( ) argument #1 (factor) must be an unsigned 16-bit quantity greater than or equal to 2');
  if (!u16(lowMag)) throw badParams('llquantize( ) argument #2 (low magnitude) must be an unsigned 16-bit quantity');
  if (!u16(high)) throw badParams('llquantize( ) argument #3 (high magnitude) must be an unsigned 16-bit quantity');
  if (high < lowMag) throw badParams('llquantize( ) argument #3 (high magnitude) must be at least argument #2 (low magnitude)');
  if (BigInt(factor) ** BigInt(high + 1) > (1n << 64n) - 1n)
    throw badParams('llquantize( ) argument #3 (high magnitude) will cause overflow of 64 bits');
  if (!u16(steps) || steps === 0) throw badParams('llquantize( ) argument #4 (steps) must be an unsigned 16-bit quantity greater than 0');
  if (steps < factor && factor % steps !== 0)
    throw badParams('llquantize( ) argument #4 (steps) must evenly divide argument #1 (factor) when steps < factor');
  if (steps > factor) {
    if (steps % factor !== 0)
      throw badParams('llquantize( ) argument #4 (steps) must be a multiple of argument #1 (factor) when steps > factor');
    if (BigInt(factor) ** BigInt(lowMag === 0 ? 2 : lowMag + 1) % BigInt(steps) !== 0n)
      throw badParams(
        lowMag === 0
          ? 'llquantize( ) argument #4 (steps) must evenly divide the square of argument #1 (factor) when steps > factor and low is 0'
          : 'llquantize( ) argument #4 (steps) must evenly divide factor^(low + 1) when steps > factor',
      );
  }
  return new LogLinearLayout(factor, lowMag, high, steps);
}

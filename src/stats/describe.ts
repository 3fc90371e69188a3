import { tQuantile } from './tdist.js';

/** Summary of one sample; `ciHalfWidth` is the half-width of the confidence interval of the mean. */
export interface SampleSummary {
  readonly n: number;
  readonly mean: number;
  readonly variance: number;
  readonly stddev: number;
  readonly min: number;
  readonly max: number;
  readonly median: number;
  readonly confidence: number;
  readonly ciHalfWidth: number;
}

export function mean(xs: readonly number[]): number {
  requireSize(xs, 1, 'mean');
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Unbiased sample variance (divides by n − 1); two passes for accuracy. */
export function variance(xs: readonly number[]): number {
  requireSize(xs, 2, 'variance');
  const m = mean(xs);
  let ss = 0;
  let comp = 0;
  for (const x of xs) {
    ss += (x - m) * (x - m);
    comp += x - m;
  }
  return (ss - (comp * comp) / xs.length) / (xs.length - 1);
}

export function stddev(xs: readonly number[]): number {
  return Math.sqrt(variance(xs));
}

/**
 * The p-th percentile (0 ≤ p ≤ 100) by linear interpolation between closest ranks,
 * the default of R (type 7) and NumPy.
 */
export function percentile(xs: readonly number[], p: number): number {
  requireSize(xs, 1, 'percentile');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be within [0, 100], got ${p}`);
  return percentileOfSorted(sorted(xs), p);
}

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

export function percentileOfSorted(s: ArrayLike<number>, p: number): number {
  const h = ((s.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/** Half-width of the Student's t confidence interval of the mean. */
export function meanConfidenceHalfWidth(xs: readonly number[], confidence = 0.95): number {
  requireSize(xs, 2, 'confidence interval');
  return tQuantile(1 - (1 - confidence) / 2, xs.length - 1) * Math.sqrt(variance(xs) / xs.length);
}

export function summarize(xs: readonly number[], confidence = 0.95): SampleSummary {
  requireSize(xs, 2, 'summarize');
  const s = sorted(xs);
  const v = variance(xs);
  return {
    n: xs.length,
    mean: mean(xs),
    variance: v,
    stddev: Math.sqrt(v),
    min: s[0]!,
    max: s[s.length - 1]!,
    median: percentileOfSorted(s, 50),
    confidence,
    ciHalfWidth: meanConfidenceHalfWidth(xs, confidence),
  };
}

function sorted(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}

function requireSize(xs: readonly number[], min: number, what: string): void {
  if (xs.length < min) throw new RangeError(`${what} needs at least ${min} value${min === 1 ? '' : 's'}, got ${xs.length}`);
}

import { mean, median, stddev } from './describe.js';
import { tQuantile } from './tdist.js';

/** One sample as ministat's table shows it. */
export interface MinistatRow {
  readonly n: number;
  readonly min: number;
  readonly max: number;
  readonly median: number;
  readonly avg: number;
  readonly stddev: number;
}

/** ministat's verdict: Student's t with the pooled standard deviation, equal variances assumed. */
export interface StudentComparison {
  readonly confidence: number;
  /** avg(sample) − avg(baseline). */
  readonly difference: number;
  readonly halfWidth: number;
  /** Both as percentages of the baseline's average. */
  readonly percent: number;
  readonly percentHalfWidth: number;
  readonly pooledStddev: number;
  readonly significant: boolean;
}

/** The confidence levels ministat knows (its -c), in percent. */
export const MINISTAT_CONFIDENCES: readonly number[] = [80, 90, 95, 98, 99, 99.5];

export function ministatRow(xs: readonly number[]): MinistatRow {
  if (xs.length === 0) throw new RangeError('ministatRow: no samples');
  const sorted = [...xs].sort((a, b) => a - b);
  return {
    n: xs.length,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    median: median(sorted),
    avg: mean(xs),
    stddev: xs.length > 1 ? stddev(xs) : 0,
  };
}

/**
 * The two-sided t quantile as ministat reads it from its table: three decimals for 1 to 100
 * degrees of freedom, the normal quantile beyond. The rounding shows in the sixth digit of the
 * half-width, so the same data give ministat's own figures.
 */
export function ministatT(df: number, confidence: number): number {
  const p = 1 - (1 - confidence) / 2;
  const t = df > 100 ? tQuantile(p, Infinity) : tQuantile(p, df);
  return Math.round(t * 1000) / 1000;
}

/** ministat's comparison of `sample` against `baseline` (its first data set). */
export function studentTest(baseline: readonly number[], sample: readonly number[], confidence = 0.95): StudentComparison {
  return studentCompare(ministatRow(baseline), ministatRow(sample), confidence);
}

/** The same from the two rows alone: ministat needs no more than each sample's n, mean and deviation. */
export function studentCompare(baseline: MinistatRow, sample: MinistatRow, confidence = 0.95): StudentComparison {
  const n1 = baseline.n;
  const n2 = sample.n;
  if (n1 < 2 || n2 < 2) throw new RangeError('studentCompare: each sample needs at least two values');
  const df = n1 + n2 - 2;
  const pooled = Math.sqrt(((n1 - 1) * baseline.stddev ** 2 + (n2 - 1) * sample.stddev ** 2) / df);
  const halfWidth = ministatT(df, confidence) * pooled * Math.sqrt(1 / n1 + 1 / n2);
  const difference = sample.avg - baseline.avg;
  return {
    confidence,
    difference,
    halfWidth,
    percent: (difference * 100) / baseline.avg,
    percentHalfWidth: (halfWidth * 100) / baseline.avg,
    pooledStddev: pooled,
    significant: Math.abs(difference) > halfWidth,
  };
}

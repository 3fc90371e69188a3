import { mean, variance } from './describe.js';
import { tQuantile, tTwoSidedP } from './tdist.js';

/** Welch's two-sided t test of `sample` against `baseline`, as ministat reports it. */
export interface Comparison {
  readonly confidence: number;
  /** mean(sample) − mean(baseline). */
  readonly difference: number;
  /** Half-width of the confidence interval of the difference. */
  readonly halfWidth: number;
  /** The difference and half-width as percentages of the baseline mean. */
  readonly percent: number;
  readonly percentHalfWidth: number;
  readonly t: number;
  /** Welch–Satterthwaite degrees of freedom (fractional). */
  readonly df: number;
  readonly p: number;
  /** True when the confidence interval of the difference excludes 0. */
  readonly significant: boolean;
}

/** mean(sample) / mean(baseline) with Fieller's confidence interval; `high` is Infinity when unbounded. */
export interface RatioEstimate {
  readonly confidence: number;
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
}

export function welchTest(baseline: readonly number[], sample: readonly number[], confidence = 0.95): Comparison {
  checkConfidence(confidence);
  const mb = mean(baseline);
  const ms = mean(sample);
  const vb = variance(baseline) / baseline.length;
  const vs = variance(sample) / sample.length;
  const se = Math.sqrt(vb + vs);
  const difference = ms - mb;
  const df = welchDf([vb, baseline.length], [vs, sample.length]);
  // Two samples without spread: any difference at all is certain, none is none.
  const t = se === 0 ? (difference === 0 ? 0 : Math.sign(difference) * Infinity) : difference / se;
  const halfWidth = se === 0 ? 0 : tQuantile(1 - (1 - confidence) / 2, df) * se;
  const p = se === 0 ? (difference === 0 ? 1 : 0) : tTwoSidedP(t, df);
  return {
    confidence,
    difference,
    halfWidth,
    percent: (100 * difference) / mb,
    percentHalfWidth: (100 * halfWidth) / Math.abs(mb),
    t,
    df,
    p,
    significant: Math.abs(difference) > halfWidth,
  };
}

/**
 * Fieller's interval for the ratio of two independent means, with Welch–Satterthwaite df
 * for the linearised variance. Honest where the delta method is not: when the baseline's
 * mean is not clearly away from zero the interval is unbounded.
 */
export function ratioOfMeans(baseline: readonly number[], sample: readonly number[], confidence = 0.95): RatioEstimate {
  checkConfidence(confidence);
  const b = mean(baseline);
  const a = mean(sample);
  const vb = variance(baseline) / baseline.length;
  const va = variance(sample) / sample.length;
  const r = a / b;
  const spread = va + r * r * vb;
  if (spread === 0) return { confidence, ratio: r, low: r, high: r };
  const df = welchDf([va, sample.length], [r * r * vb, baseline.length]);
  const t = tQuantile(1 - (1 - confidence) / 2, df);
  const g = (t * t * vb) / (b * b);
  if (g >= 1) return { confidence, ratio: r, low: -Infinity, high: Infinity };
  const half = (t / Math.abs(b)) * Math.sqrt(va * (1 - g) + r * r * vb);
  return { confidence, ratio: r, low: (r - half) / (1 - g), high: (r + half) / (1 - g) };
}

/** Welch–Satterthwaite: each part is [variance of the mean, sample size]. */
function welchDf(...parts: [number, number][]): number {
  let num = 0;
  let den = 0;
  for (const [v, n] of parts) {
    num += v;
    den += (v * v) / (n - 1);
  }
  return den === 0 ? Infinity : (num * num) / den;
}

function checkConfidence(c: number): void {
  if (!(c > 0 && c < 1)) throw new RangeError(`confidence must be within (0, 1), got ${c}`);
}

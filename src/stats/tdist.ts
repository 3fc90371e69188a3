/**
 * Student's t distribution: CDF through the regularized incomplete beta function and its
 * quantile by bisection, for any real degrees of freedom (Welch's df are fractional).
 * Hand-written: jstat (1.9.6) is unmaintained, @stdlib's CDF and quantile are two packages with
 * their own trees of @stdlib/math-* packages, for 120 lines that only the bench uses.
 */

/** P(T ≤ t) for T ~ t(df). */
export function tCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`tCdf: degrees of freedom must be > 0, got ${df}`);
  if (Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of t(df): the t with P(T ≤ t) = p. `df = Infinity` gives the normal quantile. */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`tQuantile: p must be within (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`tQuantile: degrees of freedom must be > 0, got ${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  const cdf = Number.isFinite(df) ? (t: number) => tCdf(t, df) : normalCdf;
  let lo = 0;
  let hi = 1;
  while (cdf(hi) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  // 200 halvings reach the double's resolution long before; stop when the interval stops shrinking.
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Two-sided p-value of an observed t statistic. */
export function tTwoSidedP(t: number, df: number): number {
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Complementary error function through the incomplete gamma function Q(1/2, x²). */
function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  return upperIncompleteGammaHalf(x * x);
}

function upperIncompleteGammaHalf(x: number): number {
  const a = 0.5;
  if (x === 0) return 1;
  const lnPrefix = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 500; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return 1 - sum * Math.exp(lnPrefix);
  }
  return (
    Math.exp(lnPrefix) /
    continuedFraction(
      (m) => m * (a - m),
      (m) => x + 2 * m + 1 - a,
    )
  );
}

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  // The continued fraction converges fast only below the mean; use the symmetry above it.
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const d = (m: number): number => {
    const k = Math.floor(m / 2);
    if (m % 2 === 0) return (k * (b - k) * x) / ((a + 2 * k - 1) * (a + 2 * k));
    return -((a + k) * (a + b + k) * x) / ((a + 2 * k) * (a + 2 * k + 1));
  };
  return Math.exp(lnFront) / a / continuedFraction(d, () => 1);
}

/** Evaluates b(0) + a(1)/(b(1) + a(2)/(b(2) + …)) by the modified Lentz method. */
function continuedFraction(a: (m: number) => number, b: (m: number) => number): number {
  const tiny = 1e-300;
  let f = b(0) === 0 ? tiny : b(0);
  let c = f;
  let d = 0;
  for (let m = 1; m < 10000; m++) {
    d = b(m) + a(m) * d;
    d = d === 0 ? 1 / tiny : 1 / d;
    c = b(m) + a(m) / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return f;
}

/** ln Γ(x) for x > 0 by the Lanczos approximation (g = 7, 9 terms), accurate to ~1e-15. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let s = c[0]!;
  for (let i = 1; i < 9; i++) s += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

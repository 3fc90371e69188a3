import type { Comparison, RatioEstimate } from './compare.js';

/**
 * ministat's verdict on one line: "Difference at 95.0% confidence: 12.3 ± 4.5 (6.78% ± 2.3%)"
 * or "No difference proven at 95.0% confidence".
 */
export function formatVerdict(c: Comparison, unit = ''): string {
  const level = `${(c.confidence * 100).toFixed(1)}%`;
  if (!c.significant) return `No difference proven at ${level} confidence`;
  const u = unit === '' ? '' : ` ${unit}`;
  return (
    `Difference at ${level} confidence: ${formatNumber(c.difference)} ± ${formatNumber(c.halfWidth)}${u}` +
    ` (${formatNumber(c.percent)}% ± ${formatNumber(c.percentHalfWidth)}%)`
  );
}

/** "1.23× [1.18, 1.29]". */
export function formatRatio(r: RatioEstimate): string {
  return `${r.ratio.toFixed(3)}× [${r.low.toFixed(3)}, ${Number.isFinite(r.high) ? r.high.toFixed(3) : '∞'}]`;
}

/** Four significant digits, never exponent notation for the magnitudes benchmarks produce. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(0);
  if (a >= 100) return x.toFixed(1);
  if (a >= 10) return x.toFixed(2);
  if (a >= 0.001 || a === 0) return x.toFixed(3);
  return x.toExponential(2);
}

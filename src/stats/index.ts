/**
 * Sample statistics and two-sample comparison for benchmarks and `mscope bench`:
 * summaries with confidence intervals, Welch's t test, Fieller's ratio of means, and
 * ministat-style verdicts.
 */
export {
  mean,
  variance,
  stddev,
  median,
  percentile,
  percentileOfSorted,
  meanConfidenceHalfWidth,
  summarize,
  type SampleSummary,
} from './describe.js';
export { tCdf, tQuantile, tTwoSidedP } from './tdist.js';
export { welchTest, ratioOfMeans, type Comparison, type RatioEstimate } from './compare.js';
export { formatVerdict, formatRatio, formatNumber } from './format.js';
export { compareVariants, formatTextTable, formatMarkdownTable, type VariantResult } from './table.js';

/**
 * Sample statistics and two-sample comparison for benchmarks and `mscope bench`:
 * summaries with confidence intervals, Welch's t test, Fieller's ratio of means, and
 * ministat's own table and Student's t verdict.
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
export {
  ministatRow,
  ministatT,
  studentTest,
  studentCompare,
  MINISTAT_CONFIDENCES,
  type MinistatRow,
  type StudentComparison,
} from './student.js';
export { welchTest, ratioOfMeans, type Comparison, type RatioEstimate } from './compare.js';
export { formatVerdict, formatRatio, formatNumber } from './format.js';
export { compareVariants, formatTextTable, formatMarkdownTable, type VariantResult } from './table.js';

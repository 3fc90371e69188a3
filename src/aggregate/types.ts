/** A key element of an aggregation tuple: D integers (number or bigint) and strings. */
export type KeyValue = number | bigint | string;

/** A recorded value: D integers. Numbers are the fast path; bigints keep 64-bit precision. */
export type AggValue = number | bigint;

export type AggKind = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'stddev' | 'stats' | 'quantize' | 'lquantize' | 'llquantize';

/** Constant parameters fixed when the aggregation is declared (DTrace's compile-time arguments). */
export interface AggParams {
  /** lquantize: lower bound (inclusive). */
  readonly low?: number;
  /** lquantize: upper bound; llquantize: highest order of magnitude. */
  readonly high?: number;
  /** lquantize: bucket width (default 1). */
  readonly step?: number;
  /** llquantize: the logarithm base. */
  readonly factor?: number;
  /** llquantize: lowest order of magnitude (llquantize's `low`). */
  readonly lowMag?: number;
  /** llquantize: linear steps per order of magnitude. */
  readonly steps?: number;
}

/** A JSON-safe integer: a number when it is a safe integer, else its decimal string. */
export type SnapInt = number | string;

/** A JSON-safe key element: bigints that are not safe integers become `{ bigint: "…" }`. */
export type SnapKey = number | string | { readonly bigint: string };

export interface SnapEntry {
  readonly key: SnapKey[];
  /**
   * count/sum/min/max: [v]; avg/stats: [count, sum]; stddev: [count, sum, sumOfSquares];
   * quantize/lquantize/llquantize: flat pairs [bucketIndex, count, bucketIndex, count, …].
   */
  readonly value: SnapInt[];
}

/** What `snapshot()` returns and `merge()` accepts: plain JSON, entries sorted by key. */
export interface AggSnapshot {
  readonly name: string;
  readonly kind: AggKind;
  readonly params: AggParams;
  readonly normal: number;
  readonly entries: SnapEntry[];
}

/** DTrace's `encoding`: the characters of histogram bars; `unset` leaves it to DTrace's defaults. */
export type Encoding = 'unset' | 'ascii' | 'utf8';

/** DTrace's `aggsortkey`, `aggsortrev` (and `aggsortkeypos`, `aggsortpos`), and the options that shape printed rows. */
export interface SortOptions {
  readonly aggsortkey?: boolean;
  readonly aggsortrev?: boolean;
  /** Which key column sorts first when sorting by key (DTrace's `aggsortkeypos`). */
  readonly aggsortkeypos?: number;
  /** With several aggregations joined in printa, whose value sorts (DTrace's `aggsortpos`). */
  readonly aggsortpos?: number;
  /** Histogram bars scaled to the largest bucket rather than the total (DTrace's `aggzoom`). */
  readonly aggzoom?: boolean;
  /** quantize and lquantize one line per key, a character per bucket (DTrace's `aggpack`). */
  readonly aggpack?: boolean;
  /** count() and sum() printed as a distribution of their keys (DTrace's `agghist`). */
  readonly agghist?: boolean;
  /** The characters of histogram bars (DTrace's `encoding`). */
  readonly encoding?: Encoding;
  /** The spaces before each frame of a stack key (DTrace's `stackindent`). */
  readonly stackindent?: number;
}

export const AggErrorCode = {
  BadParams: 'MSCOPE_AGG_PARAMS',
  KeyArity: 'MSCOPE_AGG_KEY_ARITY',
  Mismatch: 'MSCOPE_AGG_MISMATCH',
  BadFormat: 'MSCOPE_BAD_FORMAT',
  FormatArgs: 'MSCOPE_FORMAT_ARGS',
} as const;

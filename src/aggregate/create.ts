import { MscopeError } from '../core/index.js';
import type { Aggregation } from './aggregation.js';
import { llquantizeAggregation, lquantizeAggregation, quantizeAggregation } from './histogram-kinds.js';
import {
  AvgAggregation,
  CountAggregation,
  MaxAggregation,
  MinAggregation,
  StatsAggregation,
  StddevAggregation,
  SumAggregation,
} from './scalar-kinds.js';
import { AggErrorCode, type AggKind, type AggParams } from './types.js';

/** How a script calls an aggregating function; the language's checker reads this. */
export interface AggFunctionInfo {
  readonly kind: AggKind;
  /** Whether the first argument is the recorded value (all but count). */
  readonly takesValue: boolean;
  /** Constant integer parameters after the value: required, and at most. */
  readonly minParams: number;
  readonly maxParams: number;
  /** Whether one more, non-constant, argument weights the sample (DTrace's incr). */
  readonly takesIncr: boolean;
}

function info(kind: AggKind, takesValue: boolean, minParams: number, maxParams: number, takesIncr = false): AggFunctionInfo {
  return { kind, takesValue, minParams, maxParams, takesIncr };
}

/**
 * D's aggregating functions and bpftrace's aliases: hist = quantize (hist(n, 0) only; finer
 * log2 sub-buckets are refused), lhist(n, min, max, step) = lquantize, and stats(n) keeps
 * count and sum like avg and prints "count N, average A, total T" as bpftrace does.
 */
export const AGG_FUNCTIONS: Readonly<Record<string, AggFunctionInfo>> = {
  count: info('count', false, 0, 0),
  sum: info('sum', true, 0, 0),
  avg: info('avg', true, 0, 0),
  min: info('min', true, 0, 0),
  max: info('max', true, 0, 0),
  stddev: info('stddev', true, 0, 0),
  quantize: info('quantize', true, 0, 0, true),
  lquantize: info('lquantize', true, 2, 3, true),
  llquantize: info('llquantize', true, 4, 4, true),
  hist: info('quantize', true, 0, 1),
  lhist: info('lquantize', true, 3, 3),
  stats: info('stats', true, 0, 0),
};

export function aggFunctionInfo(fn: string): AggFunctionInfo | undefined {
  return Object.prototype.hasOwnProperty.call(AGG_FUNCTIONS, fn) ? AGG_FUNCTIONS[fn] : undefined;
}

/**
 * Builds the aggregation for `@name = fn(value, ...params)`. `params` are the constant
 * arguments after the value, as written: lquantize(v, low, high[, step]) → [low, high, step];
 * llquantize(v, factor, low, high, steps) → [factor, low, high, steps]; hist(v, k) → [k].
 * Invalid parameters throw an MscopeError with DTrace's wording.
 */
export function createAggregation(name: string, fn: string, params: readonly number[] = []): Aggregation {
  const f = aggFunctionInfo(fn);
  if (f === undefined) throw new MscopeError(AggErrorCode.BadParams, `unknown aggregating function ${fn}( )`);
  if (params.length < f.minParams || params.length > f.maxParams)
    throw new MscopeError(
      AggErrorCode.BadParams,
      `${fn}( ) takes ${f.minParams === f.maxParams ? f.minParams : `${f.minParams} to ${f.maxParams}`} constant parameter(s) after the value, not ${params.length}`,
    );
  switch (f.kind) {
    case 'count':
      return new CountAggregation(name, {});
    case 'sum':
      return new SumAggregation(name, {});
    case 'avg':
      return new AvgAggregation(name, {});
    case 'stats':
      return new StatsAggregation(name, {});
    case 'stddev':
      return new StddevAggregation(name, {});
    case 'min':
      return new MinAggregation(name, {});
    case 'max':
      return new MaxAggregation(name, {});
    case 'quantize':
      if (fn === 'hist' && params.length === 1 && params[0] !== 0)
        throw new MscopeError(AggErrorCode.BadParams, 'hist(n, k) with k > 0 is not supported; use llquantize( )');
      return quantizeAggregation(name);
    case 'lquantize': {
      const p: AggParams = { low: params[0], high: params[1], step: params[2] ?? 1 };
      return lquantizeAggregation(name, p);
    }
    case 'llquantize':
      return llquantizeAggregation(name, { factor: params[0], lowMag: params[1], high: params[2], steps: params[3] });
  }
}

/** Rebuilds an empty aggregation of the declaration a snapshot came from (for consumers). */
export function aggregationFromSnapshot(s: { readonly name: string; readonly kind: AggKind; readonly params: AggParams }): Aggregation {
  const p = s.params;
  const params: number[] =
    s.kind === 'lquantize'
      ? [p.low ?? 0, p.high ?? 0, p.step ?? 1]
      : s.kind === 'llquantize'
        ? [p.factor ?? 0, p.lowMag ?? 0, p.high ?? 0, p.steps ?? 0]
        : [];
  return createAggregation(s.name, s.kind, params);
}

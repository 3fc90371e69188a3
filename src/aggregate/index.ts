/**
 * Aggregations with DTrace's semantics and output, and D's printf.
 *
 * ```ts
 * const a = createAggregation('calls', 'count');        // @calls[...] = count()
 * a.record1('GET');                                     // one key: no tuple array
 * a.record(['GET', 200]);                               // any tuple; record0() for @calls = count()
 * const q = createAggregation('lat', 'quantize');
 * q.record0(1500);                                      // value; record0(v, incr) weights it
 * const l = createAggregation('l', 'lquantize', [0, 100, 10]);   // low, high, step
 *
 * printaDefault([a]);                                   // printa(@calls)
 * printaFormatted(compileFormat('%-10s %@8d\n'), [a]);  // printa("%-10s %@8d\n", @calls)
 * printAggregationsAtExit([a, q], { aggsortrev: true }); // what dtrace prints at exit
 * formatCompiled(compileFormat('%5d|%-4s|\n'), [42, 'ab']); // printf
 *
 * const delta = a.takeDelta();                          // JSON-safe; the agent sends this
 * consumer.merge(delta);                                // commutative and associative
 * a.clear(); a.trunc(10); a.normalize(1000); a.denormalize();
 * aggregationToJson(a);                                 // -f json
 * ```
 *
 * Kinds: count sum avg min max stddev quantize lquantize llquantize, and bpftrace's hist
 * (= quantize), lhist (= lquantize) and stats (count/average/total). `aggFunctionInfo(fn)`
 * tells the checker each function's arguments. Keys are tuples of number | bigint | string
 * (bigints within 2^53 become numbers); values are numbers or bigints and sums stay exact
 * beyond 2^53. Names are given without the `@`.
 */
export { Aggregation, type Cell } from './aggregation.js';
export { createAggregation, aggregationFromSnapshot, aggFunctionInfo, AGG_FUNCTIONS, type AggFunctionInfo } from './create.js';
export { ScalarAggregation, isScalarAggregation } from './scalar-kinds.js';
export { HistogramAggregation } from './histogram-kinds.js';
export { printaDefault, printAggregationsAtExit, formatRows, formatHistogram } from './print.js';
export { printaFormatted } from './printa.js';
export { compileFormat, formatCompiled, sprintf, type CompiledFormat, type Conversion, type PrintfArg } from './printf.js';
export { aggregationToJson, type JsonAggregation } from './json.js';
export {
  AggErrorCode,
  type AggKind,
  type AggParams,
  type AggSnapshot,
  type AggValue,
  type KeyValue,
  type SnapEntry,
  type SortOptions,
} from './types.js';

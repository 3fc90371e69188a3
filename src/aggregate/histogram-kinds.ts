import { Aggregation } from './aggregation.js';
import { QuantizeLayout, linearLayout, logLinearLayout, type BucketLayout } from './buckets.js';
import { normInt } from './int64.js';
import type { AggParams, AggValue, KeyValue, SnapInt } from './types.js';

export class HistogramCell {
  readonly counts: Float64Array;
  constructor(
    readonly key: KeyValue[],
    size: number,
  ) {
    this.counts = new Float64Array(size);
  }
}

/** quantize, lquantize, llquantize: one count per bucket; the layout places values. */
export class HistogramAggregation extends Aggregation<HistogramCell> {
  readonly isHistogram = true;

  constructor(
    name: string,
    params: AggParams,
    readonly kind: 'quantize' | 'lquantize' | 'llquantize',
    readonly layout: BucketLayout,
  ) {
    super(name, params);
  }

  protected newCell(key: KeyValue[]): HistogramCell {
    return new HistogramCell(key, this.layout.size);
  }

  protected add(c: HistogramCell, value: AggValue, incr: number): void {
    if (typeof value === 'number') {
      c.counts[this.layout.bucket(value)] += incr;
      return;
    }
    const v = normInt(value);
    c.counts[typeof v === 'number' ? this.layout.bucket(v) : this.layout.bucketBig(v)] += incr;
  }

  protected resetCell(c: HistogramCell): void {
    c.counts.fill(0);
  }

  /** Non-zero buckets as flat [index, count] pairs. */
  protected encodeValue(c: HistogramCell): SnapInt[] {
    const out: SnapInt[] = [];
    const counts = c.counts;
    for (let i = 0; i < counts.length; i++) if (counts[i] !== 0) out.push(i, counts[i]!);
    return out;
  }

  protected mergeValue(c: HistogramCell, v: readonly SnapInt[]): void {
    const counts = c.counts;
    for (let i = 0; i + 1 < v.length; i += 2) {
      const b = Number(v[i]);
      if (b >= 0 && b < counts.length) counts[b] += Number(v[i + 1]);
    }
  }

  /** DTrace orders histograms by the sum of bucket value times count, then by the count at zero. */
  compareCells(a: HistogramCell, b: HistogramCell): number {
    const d = this.weightedSum(a) - this.weightedSum(b);
    if (d !== 0) return d < 0 ? -1 : 1;
    const z = this.layout.zeroBucket;
    return z < 0 ? 0 : a.counts[z]! - b.counts[z]!;
  }

  private weightedSum(c: HistogramCell): number {
    let total = 0;
    const counts = c.counts;
    for (let i = 0; i < counts.length; i++) if (counts[i] !== 0) total += this.layout.weight(i) * counts[i]!;
    return total;
  }
}

export function quantizeAggregation(name: string): HistogramAggregation {
  return new HistogramAggregation(name, {}, 'quantize', new QuantizeLayout());
}

export function lquantizeAggregation(name: string, params: AggParams): HistogramAggregation {
  const p = { low: params.low, high: params.high, step: params.step ?? 1 };
  return new HistogramAggregation(name, p, 'lquantize', linearLayout(p));
}

export function llquantizeAggregation(name: string, params: AggParams): HistogramAggregation {
  const p = { factor: params.factor, lowMag: params.lowMag, high: params.high, steps: params.steps };
  return new HistogramAggregation(name, p, 'llquantize', logLinearLayout(p));
}

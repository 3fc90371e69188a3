import { Aggregation, type ProbeTuple } from './aggregation.js';
import { INT64_MAX, INT64_MIN, MAX_SAFE, cmpInt, divInt, fromSnapInt, isqrt, normInt, toBig, toSnapInt } from './int64.js';
import type { AggValue, KeyValue, SnapInt } from './types.js';

/**
 * count, sum, avg, stats, stddev, min, max. Accumulation follows illumos dtrace.c
 * (dtrace_aggregate_count/_sum/_avg/_stddev/_min/_max); what is printed follows
 * dt_consume.c (dt_print_average, dt_print_stddev/dt_stddev): integer division truncating
 * toward zero, stddev = isqrt(Σx²/N − (Σx/N)²) in integers.
 */
export abstract class ScalarAggregation<C extends { readonly key: KeyValue[] }> extends Aggregation<C> {
  override readonly isHistogram = false;
  /** The value as printed: normalization applied, as DTrace's default layout and %@ show it. */
  abstract value(cell: C, normal?: number): AggValue;

  /** The printed value of one tuple, or undefined when it has none (for policies and tests). */
  read(key: readonly KeyValue[]): AggValue | undefined {
    const c = this.lookup(key);
    return c === undefined ? undefined : this.value(c);
  }
}

export function isScalarAggregation(a: Aggregation): a is ScalarAggregation<{ readonly key: KeyValue[] }> {
  return !a.isHistogram;
}

/** Exact running sum: a double while it is a safe integer, the overflow kept in a bigint. */
interface Summed {
  v: number;
  big: bigint;
}

function addSum(c: Summed, value: AggValue): void {
  if (typeof value === 'number') {
    const s = c.v + value;
    if (s <= MAX_SAFE && s >= -MAX_SAFE) {
      c.v = s;
      return;
    }
  }
  c.big += toBig(c.v) + toBig(value);
  c.v = 0;
}

/** The sum as DTrace keeps it, in a 64-bit register: it wraps (the running total stays exact, so merges in any order agree). */
function sumOf(c: Summed): AggValue {
  return c.big === 0n ? c.v : normInt(BigInt.asIntN(64, c.big + toBig(c.v)));
}

function setSum(c: Summed, v: AggValue): void {
  if (typeof v === 'number') {
    c.v = v;
    c.big = 0n;
  } else {
    c.v = 0;
    c.big = v;
  }
}

class CountCell {
  n = 0;
  constructor(readonly key: KeyValue[]) {}
}

export class CountAggregation extends ScalarAggregation<CountCell> {
  readonly kind = 'count';
  protected newCell(key: KeyValue[]): CountCell {
    return new CountCell(key);
  }
  protected add(c: CountCell): void {
    c.n++;
  }
  override record1(key: KeyValue): void {
    const c = this.cell1(key);
    if (c !== null) c.n++;
  }
  override record0(): void {
    const c = this.cell0();
    if (c !== null) c.n++;
  }
  override recordProbe(t: ProbeTuple<CountCell>, probe: object): void {
    const c = t.probe === probe ? t.cell : this.probeCell(t, probe);
    if (c !== null) c.n++;
  }
  protected resetCell(c: CountCell): void {
    c.n = 0;
  }
  protected encodeValue(c: CountCell): SnapInt[] {
    return [c.n];
  }
  protected mergeValue(c: CountCell, v: readonly SnapInt[]): void {
    c.n += Number(v[0]);
  }
  compareCells(a: CountCell, b: CountCell): number {
    return a.n - b.n;
  }
  value(c: CountCell, normal = this.normal): AggValue {
    return divInt(c.n, normal);
  }
}

class SumCell implements Summed {
  v = 0;
  big = 0n;
  constructor(readonly key: KeyValue[]) {}
}

export class SumAggregation extends ScalarAggregation<SumCell> {
  readonly kind = 'sum';
  protected newCell(key: KeyValue[]): SumCell {
    return new SumCell(key);
  }
  protected add(c: SumCell, value: AggValue): void {
    addSum(c, value);
  }
  protected resetCell(c: SumCell): void {
    setSum(c, 0);
  }
  protected encodeValue(c: SumCell): SnapInt[] {
    return [toSnapInt(sumOf(c))];
  }
  protected mergeValue(c: SumCell, v: readonly SnapInt[]): void {
    addSum(c, fromSnapInt(v[0]!));
  }
  compareCells(a: SumCell, b: SumCell): number {
    return cmpInt(sumOf(a), sumOf(b));
  }
  value(c: SumCell, normal = this.normal): AggValue {
    return divInt(sumOf(c), normal);
  }
}

class AvgCell implements Summed {
  n = 0;
  v = 0;
  big = 0n;
  constructor(readonly key: KeyValue[]) {}
}

/** avg: DTrace prints (Σx / normal) / N, truncated, and 0 for an empty (cleared) tuple. */
export class AvgAggregation extends ScalarAggregation<AvgCell> {
  readonly kind: 'avg' | 'stats' = 'avg';
  protected newCell(key: KeyValue[]): AvgCell {
    return new AvgCell(key);
  }
  protected add(c: AvgCell, value: AggValue): void {
    c.n++;
    addSum(c, value);
  }
  protected resetCell(c: AvgCell): void {
    c.n = 0;
    setSum(c, 0);
  }
  protected encodeValue(c: AvgCell): SnapInt[] {
    return [c.n, toSnapInt(sumOf(c))];
  }
  protected mergeValue(c: AvgCell, v: readonly SnapInt[]): void {
    c.n += Number(v[0]);
    addSum(c, fromSnapInt(v[1]!));
  }
  compareCells(a: AvgCell, b: AvgCell): number {
    return cmpInt(this.value(a, 1), this.value(b, 1));
  }
  value(c: AvgCell, normal = this.normal): AggValue {
    return c.n === 0 ? 0 : divInt(divInt(sumOf(c), normal), c.n);
  }
  count(c: AvgCell): number {
    return c.n;
  }
  total(c: AvgCell, normal = this.normal): AggValue {
    return divInt(sumOf(c), normal);
  }
}

/**
 * bpftrace's stats(): count, average and total of the same samples, kept as avg keeps them.
 * It sorts and prints %@ by the average; the default layout prints all three as bpftrace does.
 */
export class StatsAggregation extends AvgAggregation {
  override readonly kind = 'stats';
}

class StddevCell implements Summed {
  n = 0;
  v = 0;
  big = 0n;
  sq = 0;
  sqBig = 0n;
  constructor(readonly key: KeyValue[]) {}
}

export class StddevAggregation extends ScalarAggregation<StddevCell> {
  readonly kind = 'stddev';
  protected newCell(key: KeyValue[]): StddevCell {
    return new StddevCell(key);
  }
  protected add(c: StddevCell, value: AggValue): void {
    c.n++;
    addSum(c, value);
    if (typeof value === 'number') {
      const s = c.sq + value * value;
      if (s <= MAX_SAFE) {
        c.sq = s;
        return;
      }
    }
    const b = toBig(value);
    c.sqBig += toBig(c.sq) + b * b;
    c.sq = 0;
  }
  protected resetCell(c: StddevCell): void {
    c.n = 0;
    setSum(c, 0);
    c.sq = 0;
    c.sqBig = 0n;
  }
  private squares(c: StddevCell): bigint {
    return c.sqBig + toBig(c.sq);
  }
  protected encodeValue(c: StddevCell): SnapInt[] {
    return [c.n, toSnapInt(sumOf(c)), toSnapInt(normInt(this.squares(c)))];
  }
  protected mergeValue(c: StddevCell, v: readonly SnapInt[]): void {
    c.n += Number(v[0]);
    addSum(c, fromSnapInt(v[1]!));
    c.sqBig += toBig(fromSnapInt(v[2]!));
  }
  compareCells(a: StddevCell, b: StddevCell): number {
    return cmpInt(this.value(a, 1), this.value(b, 1));
  }
  value(c: StddevCell, normal = this.normal): AggValue {
    if (c.n === 0) return 0;
    const n = BigInt(c.n);
    const norm = BigInt(normal);
    const avgOfSquares = this.squares(c) / norm / norm / n;
    let avg = toBig(sumOf(c)) / norm / n;
    if (avg < 0n) avg = -avg;
    return normInt(isqrt(avgOfSquares - avg * avg));
  }
}

class ExtremeCell {
  constructor(
    readonly key: KeyValue[],
    public v: AggValue,
  ) {}
}

/** min: a tuple that was cleared prints INT64_MAX, as DTrace's does. */
export class MinAggregation extends ScalarAggregation<ExtremeCell> {
  readonly kind: 'min' | 'max' = 'min';
  protected newCell(key: KeyValue[]): ExtremeCell {
    return new ExtremeCell(key, INT64_MAX);
  }
  protected add(c: ExtremeCell, value: AggValue): void {
    if (value < c.v) c.v = normInt(value);
  }
  protected resetCell(c: ExtremeCell): void {
    c.v = INT64_MAX;
  }
  protected encodeValue(c: ExtremeCell): SnapInt[] {
    return [toSnapInt(c.v)];
  }
  protected mergeValue(c: ExtremeCell, v: readonly SnapInt[]): void {
    this.add(c, fromSnapInt(v[0]!));
  }
  compareCells(a: ExtremeCell, b: ExtremeCell): number {
    return cmpInt(a.v, b.v);
  }
  value(c: ExtremeCell, normal = this.normal): AggValue {
    return divInt(c.v, normal);
  }
}

/** max: a tuple that was cleared prints INT64_MIN. */
export class MaxAggregation extends MinAggregation {
  override readonly kind = 'max' as const;
  protected override newCell(key: KeyValue[]): ExtremeCell {
    return new ExtremeCell(key, INT64_MIN);
  }
  protected override add(c: ExtremeCell, value: AggValue): void {
    if (value > c.v) c.v = normInt(value);
  }
  protected override resetCell(c: ExtremeCell): void {
    c.v = INT64_MIN;
  }
}

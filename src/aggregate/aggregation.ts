import { MscopeError } from '../core/index.js';
import { HISTOGRAM_BYTES, UNBOUNDED, type AggBudget } from './budget.js';
import { compareKeys, decodeKey, encodeKey, normKey } from './keys.js';
import {
  AggErrorCode,
  type AggKind,
  type AggParams,
  type AggSnapshot,
  type AggValue,
  type KeyValue,
  type SnapEntry,
  type SnapInt,
} from './types.js';

/** One tuple's accumulated data; each kind adds its own fields. */
export interface Cell {
  readonly key: KeyValue[];
}

/**
 * One statement's tuple when it is a function of the probe alone (`@[probefunc] = count()`):
 * the cell of the probe that fired last, so that a probe firing in runs skips building its key.
 */
export class ProbeTuple<C extends Cell = Cell> {
  probe: object | null = null;
  cell: C | null = null;
  constructor(readonly keyOf: (probe: never) => KeyValue[]) {}
}

/**
 * One `@name`: its tuples and their values. Storage is shared by every kind; the kind
 * subclasses say how a value accumulates, merges, encodes and orders. Single keys live in
 * one Map keyed by the value itself, longer tuples in nested Maps, so recording into an
 * existing tuple allocates nothing.
 */
export abstract class Aggregation<C extends Cell = Cell> {
  abstract readonly kind: AggKind;
  /** Scalar kinds print one value per tuple; histograms print a table. */
  abstract readonly isHistogram: boolean;
  /** DTrace's normalize() factor; divides what is printed, never what is stored. */
  normal = 1;
  /**
   * The printed width of each integer key column, by the key's D type as DTrace chooses it
   * (dt_print_datum): 16 for 64-bit, 8 for 32-bit, 5 for short, 3 for char; 16 when not given.
   */
  keyWidths: readonly number[] = [];
  /** Key arity, fixed by the first record; -1 until then. */
  arity = -1;
  private scalar: C | undefined = undefined;
  private root = new Map<KeyValue, unknown>();
  /** The single-key cell recorded last: a key that comes in runs finds its tuple without the Map. */
  private last1: C | null = null;
  private readonly probeTuples: ProbeTuple<C>[] = [];
  private tuples = 0;
  /** Shared by the aggregations of one program instance (aggsize); this one's share in `bytes`. */
  budget: AggBudget = UNBOUNDED;
  private bytes = 0;

  constructor(
    readonly name: string,
    readonly params: AggParams,
  ) {}

  protected abstract newCell(key: KeyValue[]): C;
  protected abstract add(cell: C, value: AggValue, incr: number): void;
  /** clear(): back to the value of an empty aggregation (DTrace: min becomes INT64_MAX). */
  protected abstract resetCell(cell: C): void;
  protected abstract encodeValue(cell: C): SnapInt[];
  protected abstract mergeValue(cell: C, value: readonly SnapInt[]): void;
  /** The order DTrace sorts by value (dt_aggregate.c valcmp); normal does not apply. */
  abstract compareCells(a: C, b: C): number;

  /** Records into the tuple `key`; `incr` weights histogram samples (quantize's second argument). */
  record(key: readonly KeyValue[], value: AggValue = 0, incr = 1): void {
    const c = this.cellFor(key);
    if (c !== null) this.add(c, value, incr);
  }

  /** `@name = f(value)`: the empty tuple. */
  record0(value: AggValue = 0, incr = 1): void {
    const c = this.cell0();
    if (c !== null) this.add(c, value, incr);
  }

  /** `@name[key] = f(value)`: one key, no tuple array needed. */
  record1(key: KeyValue, value: AggValue = 0, incr = 1): void {
    const c = this.cell1(key);
    if (c !== null) this.add(c, value, incr);
  }

  /** A statement's tuple as `keyOf` of the probe that fired, for `recordProbe`; made once, when the program is. */
  probeTuple(keyOf: (probe: never) => KeyValue[]): ProbeTuple<C> {
    const t = new ProbeTuple<C>(keyOf);
    this.probeTuples.push(t);
    return t;
  }

  /** Records into the tuple `t` gives for `probe`: the same as `record(t.keyOf(probe), ...)`. */
  recordProbe(t: ProbeTuple<C>, probe: object, value: AggValue = 0, incr = 1): void {
    const c = t.probe === probe ? t.cell : this.probeCell(t, probe);
    if (c !== null) this.add(c, value, incr);
  }

  protected probeCell(t: ProbeTuple<C>, probe: object): C | null {
    const c = this.cellFor((t.keyOf as (p: object) => KeyValue[])(probe));
    t.probe = c === null ? null : probe;
    t.cell = c;
    return c;
  }

  get size(): number {
    return this.tuples;
  }

  /** Every tuple's cell, unordered. */
  cells(): C[] {
    const out: C[] = [];
    if (this.scalar !== undefined) out.push(this.scalar);
    if (this.arity > 0) collect(this.root, this.arity, out);
    return out;
  }

  /** The cell of a tuple, or undefined. */
  lookup(key: readonly KeyValue[]): C | undefined {
    if (key.length === 0) return this.scalar;
    if (key.length !== this.arity) return undefined;
    let m: Map<KeyValue, unknown> | undefined = this.root;
    for (let i = 0; i < key.length - 1 && m !== undefined; i++) m = m.get(normKey(key[i]!)) as Map<KeyValue, unknown> | undefined;
    return m?.get(normKey(key[key.length - 1]!)) as C | undefined;
  }

  /** The tuple's cell, created if new; null when the budget (aggsize) has no room for it. */
  protected cell0(): C | null {
    const c = this.scalar;
    return c !== undefined ? c : this.insert0();
  }

  protected cell1(key: KeyValue): C | null {
    if (this.arity !== 1) this.fixArity(1);
    const k = typeof key === 'bigint' ? normKey(key) : key;
    const last = this.last1;
    if (last !== null && last.key[0] === k) return last;
    const c = (this.root.get(k) as C | undefined) ?? this.insert1(k);
    this.last1 = c;
    return c;
  }

  protected cellN(key: readonly KeyValue[]): C | null {
    const n = key.length;
    if (this.arity !== n) this.fixArity(n);
    let m: Map<KeyValue, unknown> | undefined = this.root;
    for (let i = 0; i < n - 1 && m !== undefined; i++) m = m.get(normKey(key[i]!)) as Map<KeyValue, unknown> | undefined;
    const c = m?.get(normKey(key[n - 1]!)) as C | undefined;
    return c !== undefined ? c : this.insertN(key);
  }

  private insert0(): C | null {
    if (this.arity !== 0) this.fixArity(0);
    if (!this.charge([])) return null;
    const c = this.newCell([]);
    this.scalar = c;
    this.tuples++;
    return c;
  }

  private insert1(k: KeyValue): C | null {
    if (!this.charge([k])) return null;
    const c = this.newCell([k]);
    this.root.set(k, c);
    this.tuples++;
    return c;
  }

  /** Checked before any level is made: a dropped tuple leaves no empty inner Map behind. */
  private insertN(key: readonly KeyValue[]): C | null {
    const norm = key.map(normKey);
    if (!this.charge(norm)) return null;
    let m = this.root;
    for (let i = 0; i < norm.length - 1; i++) {
      let next = m.get(norm[i]!) as Map<KeyValue, unknown> | undefined;
      if (next === undefined) m.set(norm[i]!, (next = new Map()));
      m = next;
    }
    const cell = this.newCell(norm);
    m.set(norm[norm.length - 1]!, cell);
    this.tuples++;
    return cell;
  }

  private charge(key: readonly KeyValue[]): boolean {
    const cost = this.budget.take(key, this.isHistogram ? HISTOGRAM_BYTES : 0);
    this.bytes += cost;
    return cost > 0;
  }

  private fixArity(n: number): void {
    if (this.arity === -1 || this.tuples === 0) {
      this.arity = n;
      return;
    }
    throw new MscopeError(AggErrorCode.KeyArity, `aggregation @${this.name} is keyed by ${this.arity} value(s), not ${n}`);
  }

  private cellFor(key: readonly KeyValue[]): C | null {
    if (key.length === 0) return this.cell0();
    if (key.length === 1) return this.cell1(key[0]!);
    return this.cellN(key);
  }

  private removeAll(): void {
    this.scalar = undefined;
    this.root = new Map();
    this.last1 = null;
    for (const t of this.probeTuples) t.probe = t.cell = null;
    this.tuples = 0;
    this.budget.give(this.bytes);
    this.bytes = 0;
  }

  /** DTrace's clear(): values back to zero, tuples kept. */
  clear(): void {
    for (const c of this.cells()) this.resetCell(c);
  }

  /**
   * DTrace's trunc(): without n, removes every tuple; with n > 0 keeps the n largest values,
   * with n < 0 the |n| smallest (ties broken by key, as in the printed order).
   */
  trunc(n?: number): void {
    if (n === undefined || n === 0) {
      this.removeAll();
      return;
    }
    const sorted = this.cells().sort((a, b) => this.compareCells(a, b) || compareKeys(a.key, b.key));
    const keep = n > 0 ? sorted.slice(Math.max(0, sorted.length - n)) : sorted.slice(0, -n);
    this.removeAll();
    for (const c of keep) this.adopt(c);
  }

  private adopt(c: C): void {
    const fresh = this.cellFor(c.key);
    if (fresh !== null) this.mergeValue(fresh, this.encodeValue(c));
  }

  /** DTrace's normalize(@, n): printed values are divided by n. */
  normalize(n: number | bigint): void {
    const v = Number(n);
    if (!Number.isSafeInteger(v) || v <= 0)
      throw new MscopeError(AggErrorCode.BadParams, `normalize( ) needs a positive integer, not ${String(n)}`);
    this.normal = v;
  }

  denormalize(): void {
    this.normal = 1;
  }

  /** JSON-safe copy of the data, entries sorted by key so equal data gives equal JSON. */
  snapshot(): AggSnapshot {
    const cells = this.cells().sort((a, b) => compareKeys(a.key, b.key));
    const entries: SnapEntry[] = new Array(cells.length);
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      entries[i] = { key: c.key.map(encodeKey), value: this.encodeValue(c) };
    }
    return { name: this.name, kind: this.kind, params: { ...this.params }, normal: this.normal, entries };
  }

  /**
   * Adds another partial aggregation of the same declaration (commutative and associative).
   * The larger normalization factor wins, which keeps merging order-independent.
   */
  merge(s: AggSnapshot): void {
    if (s.kind !== this.kind || !sameParams(s.params, this.params))
      throw new MscopeError(
        AggErrorCode.Mismatch,
        `cannot merge ${s.kind}(${JSON.stringify(s.params)}) into @${this.name} (${this.kind}(${JSON.stringify(this.params)}))`,
      );
    if (s.normal > this.normal) this.normal = s.normal;
    for (const e of s.entries) {
      const c = this.cellFor(e.key.map(decodeKey));
      if (c !== null) this.mergeValue(c, e.value);
    }
  }

  /** The snapshot, after which the aggregation starts again from nothing (agents send deltas). */
  takeDelta(): AggSnapshot {
    const s = this.snapshot();
    this.removeAll();
    return s;
  }
}

function collect<C>(m: Map<KeyValue, unknown>, depth: number, out: C[]): void {
  if (depth === 1) {
    for (const c of m.values()) out.push(c as C);
    return;
  }
  for (const sub of m.values()) collect(sub as Map<KeyValue, unknown>, depth - 1, out);
}

function sameParams(a: AggParams, b: AggParams): boolean {
  const ka = Object.keys(a)
    .filter((k) => a[k as keyof AggParams] !== undefined)
    .sort();
  const kb = Object.keys(b)
    .filter((k) => b[k as keyof AggParams] !== undefined)
    .sort();
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i] as keyof AggParams;
    if (k !== kb[i] || a[k] !== b[k]) return false;
  }
  return true;
}

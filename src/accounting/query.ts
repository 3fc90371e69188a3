import type { AcctRecord } from './activity.js';

/**
 * Resourceful's map/filter/fold over records, lazily: nothing runs until `fold`, `toArray`
 * or iteration. Works on the ring, the store's rows or any iterable of records.
 */
export class Query<T> implements Iterable<T> {
  constructor(private readonly source: Iterable<T>) {}

  filter(pred: (r: T) => boolean): Query<T> {
    const src = this.source;
    return new Query({
      *[Symbol.iterator]() {
        for (const r of src) if (pred(r)) yield r;
      },
    });
  }

  map<U>(fn: (r: T) => U): Query<U> {
    const src = this.source;
    return new Query({
      *[Symbol.iterator]() {
        for (const r of src) yield fn(r);
      },
    });
  }

  fold<A>(fn: (acc: A, r: T) => A, init: A): A {
    let acc = init;
    for (const r of this.source) acc = fn(acc, r);
    return acc;
  }

  /** Groups by key, folding each group from its own copy of `init()`. */
  groupFold<K, A>(key: (r: T) => K, fn: (acc: A, r: T) => A, init: () => A): Map<K, A> {
    const out = new Map<K, A>();
    for (const r of this.source) {
      const k = key(r);
      out.set(k, fn(out.has(k) ? out.get(k)! : init(), r));
    }
    return out;
  }

  toArray(): T[] {
    return [...this.source];
  }

  [Symbol.iterator](): Iterator<T> {
    return this.source[Symbol.iterator]();
  }
}

export function query(records: Iterable<AcctRecord>): Query<AcctRecord> {
  return new Query(records);
}

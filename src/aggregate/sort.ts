import type { Aggregation, Cell } from './aggregation.js';
import { compareKeys } from './keys.js';
import type { KeyValue, SortOptions } from './types.js';

/** A printed row: one tuple and its cell in each aggregation (undefined where it has none). */
export interface Row {
  readonly key: readonly KeyValue[];
  readonly cells: (Cell | undefined)[];
}

/**
 * DTrace's order (dt_aggregate.c): by value ascending, ties by key; `aggsortkey` sorts by key
 * first, `aggsortrev` reverses, `aggsortkeypos` picks the leading key column and
 * `aggsortpos` which joined aggregation's value decides.
 */
export function sortRows(aggs: readonly Aggregation[], rows: Row[], opts: SortOptions = {}): Row[] {
  const pos = Math.min(Math.max(0, opts.aggsortpos ?? 0), aggs.length - 1);
  const keypos = opts.aggsortkeypos ?? 0;
  const byValue = (a: Row, b: Row): number => {
    const agg = aggs[pos]!;
    const ca = a.cells[pos];
    const cb = b.cells[pos];
    if (ca === undefined || cb === undefined) return ca === cb ? 0 : ca === undefined ? -1 : 1;
    return agg.compareCells(ca, cb);
  };
  const byKey = (a: Row, b: Row): number => compareKeys(a.key, b.key, keypos);
  const cmp = opts.aggsortkey ? (a: Row, b: Row) => byKey(a, b) || byValue(a, b) : (a: Row, b: Row) => byValue(a, b) || byKey(a, b);
  rows.sort(opts.aggsortrev ? (a, b) => cmp(b, a) : cmp);
  return rows;
}

/** Rows of one aggregation, or of several joined on their keys (printa with several @). */
export function joinRows(aggs: readonly Aggregation[]): Row[] {
  if (aggs.length === 1) return aggs[0]!.cells().map((c) => ({ key: c.key, cells: [c] }));
  const byKey = new Map<string, Row>();
  aggs.forEach((agg, i) => {
    for (const c of agg.cells()) {
      const id = JSON.stringify(c.key, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
      let row = byKey.get(id);
      if (row === undefined) {
        row = { key: c.key, cells: new Array<Cell | undefined>(aggs.length).fill(undefined) };
        byKey.set(id, row);
      }
      row.cells[i] = c;
    }
  });
  return [...byKey.values()];
}

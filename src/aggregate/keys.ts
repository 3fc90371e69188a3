import { normInt } from './int64.js';
import type { KeyValue, SnapKey } from './types.js';

/** 5n and 5 are one key; -0 is 0. Only bigints need work, so the hot path tests typeof first. */
export function normKey(k: KeyValue): KeyValue {
  return typeof k === 'bigint' ? normInt(k) : k;
}

/** D orders integers numerically and strings with strcmp; integers sort before strings. */
export function compareKeyValue(a: KeyValue, b: KeyValue): number {
  const sa = typeof a === 'string';
  const sb = typeof b === 'string';
  if (sa !== sb) return sa ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Tuple order starting at column `pos` (DTrace's aggsortkeypos), then the others in order. */
export function compareKeys(a: readonly KeyValue[], b: readonly KeyValue[], pos = 0): number {
  const n = Math.min(a.length, b.length);
  if (pos > 0 && pos < n) {
    const c = compareKeyValue(a[pos]!, b[pos]!);
    if (c !== 0) return c;
  }
  for (let i = 0; i < n; i++) {
    if (i === pos && pos > 0) continue;
    const c = compareKeyValue(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

export function encodeKey(k: KeyValue): SnapKey {
  return typeof k === 'bigint' ? { bigint: k.toString() } : k;
}

export function decodeKey(k: SnapKey): KeyValue {
  return typeof k === 'object' ? normInt(BigInt(k.bigint)) : k;
}

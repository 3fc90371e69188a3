import type { AcctRecord } from './activity.js';
import { BYTE_FIELDS, COUNT_FIELDS, TIME_FIELDS, type FieldName } from './fields.js';
import { query } from './query.js';
import { percentileOfSorted } from '../stats/index.js';

export interface TokenSummary {
  token: string;
  count: number;
  p50_ns: number;
  p95_ns: number;
  p99_ns: number;
  /** Mean of each `_ns`, `_bytes` and `_count` field over the token's records. */
  mean: Record<FieldName, number>;
}

const MEAN_FIELDS: readonly FieldName[] = [...TIME_FIELDS, ...BYTE_FIELDS, ...COUNT_FIELDS];

export function summarize(records: Iterable<AcctRecord>): TokenSummary[] {
  const groups = query(records).groupFold(
    (r) => r.token,
    (acc: AcctRecord[], r) => (acc.push(r), acc),
    () => [],
  );
  const out: TokenSummary[] = [];
  for (const [token, rs] of groups) {
    const lat = rs.map((r) => r.latency_ns).sort((a, b) => a - b);
    const mean = {} as Record<FieldName, number>;
    for (const f of MEAN_FIELDS) mean[f] = rs.reduce((s, r) => s + (r[f] ?? 0), 0) / rs.length;
    out.push({
      token,
      count: rs.length,
      p50_ns: percentileOfSorted(lat, 50),
      p95_ns: percentileOfSorted(lat, 95),
      p99_ns: percentileOfSorted(lat, 99),
      mean,
    });
  }
  return out.sort((a, b) => b.count - a.count || (a.token < b.token ? -1 : 1));
}

function ms(ns: number): string {
  return (ns / 1e6).toFixed(3);
}

/**
 * `mscope report FILE`'s text: per token, count and latency percentiles, then the mean
 * breakdown by subsystem (time in ms; bytes and counts as numbers), zero columns omitted.
 */
export function renderReport(records: Iterable<AcctRecord>): string {
  const sums = summarize(records);
  if (sums.length === 0) return 'no activities recorded\n';
  const lines: string[] = [];
  const w = Math.max(5, ...sums.map((s) => s.token.length));
  lines.push(`${'TOKEN'.padEnd(w)}  ${'COUNT'.padStart(8)}  ${'P50 ms'.padStart(10)}  ${'P95 ms'.padStart(10)}  ${'P99 ms'.padStart(10)}`);
  for (const s of sums) {
    lines.push(
      `${s.token.padEnd(w)}  ${String(s.count).padStart(8)}  ${ms(s.p50_ns).padStart(10)}  ${ms(s.p95_ns).padStart(10)}  ${ms(s.p99_ns).padStart(10)}`,
    );
  }
  lines.push('', 'mean per activity:');
  for (const s of sums) {
    const parts: string[] = [];
    for (const f of MEAN_FIELDS) {
      const v = s.mean[f];
      if (v === 0) continue;
      parts.push(f.endsWith('_ns') ? `${f.slice(0, -3)}=${ms(v)}ms` : `${f}=${Number.isInteger(v) ? v : v.toFixed(1)}`);
    }
    lines.push(`  ${s.token}: ${parts.length === 0 ? '(nothing recorded)' : parts.join(' ')}`);
  }
  return lines.join('\n') + '\n';
}

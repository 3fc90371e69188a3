import { escapeText, type SkippedFunction } from '../core/index.js';
import type { ProbeRow } from '../agent/protocol.js';

/** `dtrace -l`'s layout: right-aligned columns at least as wide as DTrace's, then NAME. */
const MIN_WIDTHS = [5, 10, 20, 32] as const;

export function formatProbeTable(rows: readonly ProbeRow[]): string {
  const header = ['ID', 'PROVIDER', 'MODULE', 'FUNCTION'];
  const cells = rows.map((r) => [String(r[0]), escapeText(r[1]), escapeText(r[2]), escapeText(r[3])]);
  const widths = MIN_WIDTHS.map((min, i) => Math.max(min, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[], name: string): string => `${c.map((s, i) => s.padStart(widths[i]!)).join(' ')} ${name}\n`;
  return line(header, 'NAME') + rows.map((r, i) => line(cells[i]!, escapeText(r[4]))).join('');
}

export function formatSkippedTable(skipped: readonly SkippedFunction[]): string {
  const cells = skipped.map((s) => [s.provider, s.module, s.func].map(escapeText));
  const widths = [8, 20, 32].map((min, i) => Math.max(min, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[], reason: string): string => `${c.map((s, i) => s.padStart(widths[i]!)).join(' ')} ${reason}\n`;
  return line(['PROVIDER', 'MODULE', 'FUNCTION'], 'REASON') + skipped.map((s, i) => line(cells[i]!, escapeText(s.reason))).join('');
}

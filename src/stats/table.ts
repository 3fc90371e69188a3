import { ratioOfMeans, welchTest, type Comparison, type RatioEstimate } from './compare.js';
import { summarize, type SampleSummary } from './describe.js';
import { formatNumber, formatRatio, formatVerdict } from './format.js';

/** One variant's samples, and how it compares with the baseline (absent for the baseline itself). */
export interface VariantResult {
  readonly name: string;
  readonly summary: SampleSummary;
  readonly versus: { readonly comparison: Comparison; readonly ratio: RatioEstimate } | null;
}

/** Summarizes every variant and compares each with the one named `baseline`. */
export function compareVariants(samples: ReadonlyMap<string, readonly number[]>, baseline: string, confidence = 0.95): VariantResult[] {
  const base = samples.get(baseline);
  if (base === undefined) throw new RangeError(`baseline "${baseline}" has no samples`);
  return [...samples].map(([name, xs]) => ({
    name,
    summary: summarize(xs, confidence),
    versus: name === baseline ? null : { comparison: welchTest(base, xs, confidence), ratio: ratioOfMeans(base, xs, confidence) },
  }));
}

const HEADER = ['variant', 'n', 'mean', '± CI', 'median', 'ratio [CI]', 'verdict'];

function cells(r: VariantResult, unit: string): string[] {
  const s = r.summary;
  const ratio = r.versus === null ? 'baseline' : formatRatio(r.versus.ratio);
  const verdict = r.versus === null ? '' : formatVerdict(r.versus.comparison, unit);
  return [r.name, String(s.n), formatNumber(s.mean), formatNumber(s.ciHalfWidth), formatNumber(s.median), ratio, verdict];
}

/** A plain-text table with aligned columns, for terminals. */
export function formatTextTable(results: readonly VariantResult[], unit: string): string {
  const rows = [HEADER.map((h) => (h === 'mean' ? `mean ${unit}` : h)), ...results.map((r) => cells(r, unit))];
  const widths = HEADER.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const numeric = new Set([1, 2, 3, 4]);
  return rows
    .map((row) =>
      row
        .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The same table in GitHub-flavoured Markdown. */
export function formatMarkdownTable(results: readonly VariantResult[], unit: string): string {
  const head = HEADER.map((h) => (h === 'mean' ? `mean ${unit}` : h));
  const align = head.map((_, i) => (i >= 1 && i <= 4 ? '---:' : '---'));
  const escape = (c: string): string => c.replace(/\|/g, '\\|');
  return [head, align, ...results.map((r) => cells(r, unit))].map((row) => `| ${row.map(escape).join(' | ')} |`).join('\n');
}

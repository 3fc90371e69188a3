import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVariants, formatMarkdownTable, formatTextTable } from '../../src/stats/index.js';

const samples = new Map<string, number[]>([
  ['none', [10.1, 9.8, 10.3, 10.0, 9.9, 10.2, 10.4, 9.7]],
  ['probe', [10.9, 11.2, 10.7, 11.0, 11.4, 10.8]],
  ['noise', [10.0, 10.3, 9.9, 10.1]],
]);

test('each variant is compared with the baseline, the baseline with nothing', () => {
  const rs = compareVariants(samples, 'none');
  assert.deepEqual(
    rs.map((r) => r.name),
    ['none', 'probe', 'noise'],
  );
  assert.equal(rs[0]!.versus, null);
  assert.equal(rs[1]!.versus!.comparison.significant, true);
  assert.equal(rs[2]!.versus!.comparison.significant, false);
  assert.throws(() => compareVariants(samples, 'missing'), RangeError);
});

test('text table aligns columns and carries the verdicts', () => {
  const text = formatTextTable(compareVariants(samples, 'none'), 'ns');
  const lines = text.split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[0]!, /^variant\s+n\s+mean ns\s+± CI\s+median\s+ratio \[CI\]\s+verdict$/);
  assert.match(lines[1]!, /^none\s+8\s+10\.05\s+0\.205\s+10\.05\s+baseline$/);
  assert.match(lines[2]!, /Difference at 95\.0% confidence: 0\.950 ± 0\.304 ns/);
  assert.match(lines[3]!, /No difference proven at 95\.0% confidence$/);
  const col = lines[0]!.indexOf('ratio');
  for (const l of lines.slice(1)) assert.notEqual(l[col - 1], undefined);
});

test('markdown table has a header, an alignment row and one row per variant', () => {
  const md = formatMarkdownTable(compareVariants(samples, 'none'), 'ns').split('\n');
  assert.equal(md.length, 5);
  assert.equal(md[1], '| --- | ---: | ---: | ---: | ---: | --- | --- |');
  assert.match(md[3]!, /^\| probe \| 6 \| 11\.00 \|/);
});

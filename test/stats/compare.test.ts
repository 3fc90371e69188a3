import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRatio, formatVerdict, meanConfidenceHalfWidth, ratioOfMeans, welchTest } from '../../src/stats/index.js';

const a = [10.1, 9.8, 10.3, 10.0, 9.9, 10.2, 10.4, 9.7];
const b = [10.9, 11.2, 10.7, 11.0, 11.4, 10.8];
const c = [10.0, 10.3, 9.9, 10.1];

function close(actual: number, expected: number, rel = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${actual} != ${expected}`);
}

// Reference values from scipy.stats.ttest_ind(sample, baseline, equal_var=False).
test('Welch t statistic, df and p match the reference', () => {
  const r = welchTest(a, b);
  close(r.t, 6.922452887690951);
  close(r.df, 10.517379333066627);
  close(r.p, 3.16093125255046e-5, 1e-6);
  assert.equal(r.significant, true);
  close(r.difference, 0.95);
  close(r.halfWidth, 0.3037510088648775);
});

test('a difference inside the noise is not significant', () => {
  const r = welchTest(a, c);
  close(r.t, 0.20555661294826227);
  close(r.df, 8.494022306025833);
  close(r.p, 0.8419787376461455, 1e-6);
  assert.equal(r.significant, false);
});

test('significance agrees with p < 1 − confidence', () => {
  for (const [x, y] of [
    [a, b],
    [a, c],
    [b, c],
  ] as const) {
    const r = welchTest(x, y);
    assert.equal(r.significant, r.p < 0.05);
  }
});

test('verdicts read like ministat', () => {
  assert.equal(formatVerdict(welchTest(a, c)), 'No difference proven at 95.0% confidence');
  const v = formatVerdict(welchTest(a, b), 'ns');
  assert.match(v, /^Difference at 95\.0% confidence: 0\.950 ± 0\.304 ns \(9\.453% ± 3\.022%\)$/);
  assert.match(formatVerdict(welchTest(a, b, 0.99)), /^Difference at 99\.0% confidence/);
});

test('samples without spread compare exactly', () => {
  assert.equal(welchTest([1, 1, 1], [1, 1]).significant, false);
  assert.equal(welchTest([1, 1, 1], [2, 2]).significant, true);
});

test('ratio with an exact baseline is the sample mean CI scaled by the baseline', () => {
  const r = ratioOfMeans([4, 4, 4], a);
  close(r.ratio, 10.05 / 4);
  close(r.high - r.ratio, meanConfidenceHalfWidth(a) / 4);
  close(r.ratio - r.low, meanConfidenceHalfWidth(a) / 4);
});

test('Fieller interval is asymmetric, contains the ratio, and narrows with more data', () => {
  const r = ratioOfMeans(a, b);
  assert.ok(r.low < r.ratio && r.ratio < r.high);
  assert.ok(r.high - r.ratio > r.ratio - r.low);
  const more = ratioOfMeans([...a, ...a, ...a], [...b, ...b, ...b]);
  assert.ok(more.high - more.low < r.high - r.low);
  assert.match(formatRatio(r), /^1\.\d{3}× \[1\.\d{3}, 1\.\d{3}\]$/);
});

test('ratio is unbounded when the baseline mean is not clearly non-zero', () => {
  const r = ratioOfMeans([-1, 1, -2, 2.1], a);
  assert.equal(r.high, Infinity);
  assert.match(formatRatio(r), /∞/);
});

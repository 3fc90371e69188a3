import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mean, median, meanConfidenceHalfWidth, percentile, stddev, summarize, variance } from '../../src/stats/index.js';

const a = [10.1, 9.8, 10.3, 10.0, 9.9, 10.2, 10.4, 9.7];

function close(actual: number, expected: number, tol = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} != ${expected}`);
}

// Reference values from NumPy 2 / SciPy 1.17.
test('mean, variance and stddev', () => {
  close(mean(a), 10.05);
  close(variance(a), 0.06);
  close(stddev(a), Math.sqrt(0.06));
});

test('variance stays accurate far from zero', () => {
  close(variance(a.map((x) => x + 1e9)), 0.06, 1e-6);
});

test('percentiles interpolate linearly between closest ranks (R type 7)', () => {
  close(percentile(a, 0), 9.7);
  close(percentile(a, 25), 9.875);
  close(percentile(a, 50), 10.05);
  close(percentile(a, 90), 10.33);
  close(percentile(a, 100), 10.4);
  close(median([3, 1, 2]), 2);
  close(median([5]), 5);
});

test('confidence interval of the mean uses Student t', () => {
  close(meanConfidenceHalfWidth(a), 0.20478246722841176, 1e-9);
});

test('summarize reports everything at once', () => {
  const s = summarize(a);
  assert.equal(s.n, 8);
  assert.equal(s.min, 9.7);
  assert.equal(s.max, 10.4);
  close(s.median, 10.05);
  close(s.ciHalfWidth, 0.20478246722841176, 1e-9);
  assert.equal(s.confidence, 0.95);
});

test('too few values throw RangeError', () => {
  assert.throws(() => mean([]), RangeError);
  assert.throws(() => variance([1]), RangeError);
  assert.throws(() => percentile(a, 101), RangeError);
});

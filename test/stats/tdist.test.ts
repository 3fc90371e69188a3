import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tCdf, tQuantile, tTwoSidedP } from '../../src/stats/index.js';

// Reference values from scipy.stats.t (SciPy 1.17).
const quantiles: [p: number, df: number, t: number][] = [
  [0.975, 1, 12.706204736174694],
  [0.975, 2, 4.302652729749462],
  [0.975, 10, 2.228138851986274],
  [0.975, 30, 2.0422724563012378],
  [0.995, 4.5, 4.272823993011293],
  [0.9, 2.5, 1.7302509288071766],
  [0.975, 1000, 1.9623390808264083],
  [0.6, 7, 0.2631668613520229],
];

function close(actual: number, expected: number, rel = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${actual} is not within ${rel} of ${expected}`);
}

test('t quantiles match reference values, fractional df included', () => {
  for (const [p, df, t] of quantiles) close(tQuantile(p, df), t);
});

test('t quantiles are odd around the median', () => {
  assert.equal(tQuantile(0.5, 3), 0);
  close(tQuantile(0.025, 10), -2.228138851986274);
});

test('infinite df gives the normal quantile', () => {
  close(tQuantile(0.975, Infinity), 1.959963984540054);
});

test('t CDF matches reference values', () => {
  close(tCdf(1.5, 3), 0.8847080673775886);
  close(tCdf(-2.0, 10), 0.03669401738537018);
  close(tCdf(0.3, 1.7), 0.601598540801275);
  assert.equal(tCdf(Infinity, 5), 1);
  assert.equal(tCdf(-Infinity, 5), 0);
});

test('quantile inverts the CDF', () => {
  for (const df of [1, 3.3, 12, 250]) {
    for (const p of [0.01, 0.2, 0.75, 0.999]) close(tCdf(tQuantile(p, df), df), p, 1e-10);
  }
});

test('two-sided p of the 97.5% quantile is 5%', () => {
  close(tTwoSidedP(2.228138851986274, 10), 0.05, 1e-9);
});

test('bad arguments throw RangeError', () => {
  assert.throws(() => tQuantile(0, 5), RangeError);
  assert.throws(() => tQuantile(1, 5), RangeError);
  assert.throws(() => tQuantile(0.9, 0), RangeError);
});

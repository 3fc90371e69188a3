import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration } from '../../src/consumer/duration.js';

// A run whose estimate rounded up to the next unit printed `~1.00e+3 ms`, which neither a reader
// nor the probe-effect benchmark's parser took for a time (npm run bench stopped there).
test('figures: three figures in the unit they round to, never an exponent', () => {
  const f = (ns: number): string => formatDuration(ns, 'figures');
  assert.equal(f(999.4), '999 ns');
  assert.equal(f(999.6), '1.00 µs');
  assert.equal(f(999_600), '1.00 ms');
  assert.equal(f(999_600_000), '1.00 s');
  assert.equal(f(1_000_000_000), '1.00 s');
  assert.equal(f(123_456), '123 µs');
  assert.equal(f(1_075_003_578_051), '1075 s');
  for (let ns = 1; ns < 1e13; ns *= 1.37) assert.match(f(ns), /^\d+(\.\d+)? (ns|µs|ms|s)$/, String(ns));
});

// mscope top's columns printed 999.96 µs as `1000.0µs`, a character wider than the unit above.
test('column: fixed decimals per unit, in the unit they round to', () => {
  const c = (ns: number): string => formatDuration(ns, 'column');
  assert.equal(c(Number.NaN), '-');
  assert.equal(c(999.4), '999ns');
  assert.equal(c(999.6), '1.0µs');
  assert.equal(c(12_345), '12.3µs');
  assert.equal(c(999_960), '1.0ms');
  assert.equal(c(999_960_000), '1.00s');
  assert.equal(c(3_600e9), '3600.00s');
  for (let ns = 1; ns < 1e12; ns *= 1.37) {
    const text = c(ns);
    assert.match(text, /^\d+(\.\d+)?(ns|µs|ms|s)$/, String(ns));
    if (/[nµm]s$/.test(text)) assert.ok(Number.parseFloat(text) < 1000, text);
  }
});

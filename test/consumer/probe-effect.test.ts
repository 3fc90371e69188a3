import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNs } from '../../src/consumer/probe-effect.js';

// A run whose estimate rounded up to the next unit printed `~1.00e+3 ms`, which neither a reader
// nor the probe-effect benchmark's parser took for a time (npm run bench stopped there).
test('formatNs writes three figures in the unit they round to, never an exponent', () => {
  assert.equal(formatNs(999.4), '999 ns');
  assert.equal(formatNs(999.6), '1.00 µs');
  assert.equal(formatNs(999_600), '1.00 ms');
  assert.equal(formatNs(999_600_000), '1.00 s');
  assert.equal(formatNs(1_000_000_000), '1.00 s');
  assert.equal(formatNs(123_456), '123 µs');
  assert.equal(formatNs(1_075_003_578_051), '1075 s');
  for (let ns = 1; ns < 1e13; ns *= 1.37) assert.match(formatNs(ns), /^\d+(\.\d+)? (ns|µs|ms|s)$/, String(ns));
});

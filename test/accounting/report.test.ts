import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AcctRecord } from '../../src/accounting/activity.js';
import { summarize } from '../../src/accounting/report.js';

const record = (token: string, latency_ns: number) => ({ token, latency_ns }) as unknown as AcctRecord;

test("a token's latency percentiles interpolate between ranks, as src/stats computes them everywhere", () => {
  const [s] = summarize([10, 20, 30, 40].map((ns) => record('GET /', ns)));
  assert.equal(s!.count, 4);
  assert.equal(s!.p50_ns, 25);
  assert.equal(s!.p95_ns, 38.5);
  assert.equal(s!.p99_ns, 39.7);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { mscope } from './mscope.js';

test('mscope demo runs the order service and prints calls and latency per function', async () => {
  const r = await mscope(['demo'], tmpdir());
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^order service: \d+ orders placed, \d+ failed/m);
  const lines = r.stdout.split('\n');
  const header = lines.findIndex((l) => /^\s+FUNCTION\s+CALLS\s+ERRORS\s+AVG\(us\)\s+MAX\(us\)$/.test(l));
  assert.ok(header >= 0, r.stdout);
  const rows = new Map(
    lines
      .slice(header + 1)
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const [fn, calls, errors] = l.trim().split(/\s+/);
        return [fn!, { calls: Number(calls), errors: Number(errors) }];
      }),
  );
  assert.deepEqual(rows.get('lib/orders.js:OrderService.placeOrder'), { calls: 24, errors: 9 });
  assert.deepEqual(rows.get('lib/catalog.cjs:lookup')?.errors, 0);
  assert.ok(rows.has('lib/inventory.js:reserve'));
});

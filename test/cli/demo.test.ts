import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { mscope } from './mscope.js';

test('mscope demo runs the order service under demo.d and prints what it saw', async () => {
  const r = await mscope(['demo'], tmpdir());
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^order service: 15 orders placed, 9 failed/m);
  assert.match(r.stdout, /^\s+lib\/orders\.js\s+OrderService\.placeOrder\s+24$/m);
  assert.match(r.stdout, /^\s+lib\/catalog\.cjs\s+lookup\s+36$/m);
  assert.match(r.stdout, /^\s+value\s+-+ Distribution -+ count/m);
  assert.match(r.stdout, /^\s+invalid discount code BOGUS\s+3$/m);
  assert.match(r.stdout, /^\s+POST\s+\/orders\s+201\s+15$/m);
  assert.match(r.stdout, /^\s+POST\s+\/orders\s+409\s+9$/m);
  assert.match(r.stdout, /^\s+appendFile\s+\d+$/m);
  // Accounting: one activity per request, with its fs bytes.
  assert.match(r.stdout, /^per request \(accounting\)/m);
  assert.match(r.stdout, /^\s+POST \/orders\s+698$/m);
  assert.equal(r.stderr, '');
});

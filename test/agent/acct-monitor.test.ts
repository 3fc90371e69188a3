import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acct } from '../../src/accounting/index.js';
import { AccountingMonitor } from '../../src/agent/acct-monitor.js';
import type { AgentContext } from '../../src/agent/types.js';

test('accounting in a traced process: records go out in flushes, and finish leaves accounting off with none kept', async () => {
  const monitor = AccountingMonitor.load('{}');
  monitor.start({} as AgentContext);
  assert.equal(acct.enabled, true);
  await acct.run('one', async () => {});
  const sent = monitor.flush() as Array<{ token: string }>;
  assert.deepEqual(
    sent.map((r) => r.token),
    ['one'],
  );
  await acct.run('two', async () => {});
  const rest = monitor.finish() as Array<{ token: string }>;
  assert.deepEqual(
    rest.map((r) => r.token),
    ['two'],
  );
  assert.equal(acct.enabled, false);
  // After an attach's detach the process holds no record of ours (the ring kept the last 1024).
  assert.deepEqual(acct.ring.toArray(), []);
});

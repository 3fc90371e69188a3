import { test } from 'node:test';
import assert from 'node:assert/strict';
import { link, onFault, type FaultReport } from '../../src/weaver/index.js';
import { defineModule } from '../../src/modules/define.js';

const MODULE = new URL('../fixtures/weaver/factory-throws.mjs', import.meta.url).href;

test('message binding: a createMonitor that throws is a counted fault; the host survives and is not restarted', async () => {
  const api = defineModule(`factory-${process.pid}`, { f: (x: number) => x + 1 });
  const faults: FaultReport[] = [];
  const off = onFault((r) => faults.push(r));
  const h = link(`fn:factory-${process.pid}:f:entry`, () => {}, {
    binding: 'message',
    remote: { module: MODULE, options: { broken: true } },
  });
  for (let i = 0; i < 5; i++) assert.equal(api.f(i), i + 1);
  await h.unlink();
  off();
  // Before the fix the throw escaped MonitorSet.handle and killed the host: a crash fault.
  assert.ok(faults.length >= 1, 'the failure was reported');
  assert.ok(
    faults.every((f) => f.kind === 'throw'),
    JSON.stringify(faults.map((f) => [f.kind, String(f.error)])),
  );
  assert.match(String(faults[0]!.error), /createMonitor failed/);
  assert.equal(h.stats.events, 5);
});

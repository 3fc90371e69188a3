import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { link, onFault, type FaultReport } from '../../src/weaver/index.js';
import { defineModule } from '../../src/modules/define.js';
import type { BindingKind } from '../../src/weaver/types.js';

const BROKEN = new URL('../fixtures/weaver/throws-at-load.mjs', import.meta.url).href;
const faults: FaultReport[] = [];
onFault((f) => faults.push(f));

const CASES: Array<{ binding: BindingKind; isolate?: 'worker' | 'process' }> = [
  { binding: 'shm' },
  { binding: 'message', isolate: 'worker' },
  { binding: 'message', isolate: 'process' },
];

for (const c of CASES) {
  const what = `${c.binding}${c.isolate === undefined ? '' : ` (${c.isolate})`}`;
  test(`${what} binding: a monitor whose module throws at load is reported once and not started again`, async () => {
    const name = `load-${c.binding}-${c.isolate ?? 'ring'}`;
    const api = defineModule(name, { f: (x: number) => x + 1 });
    const h = link(`fn:${name}:f:entry`, () => {}, {
      binding: c.binding,
      remote: { module: BROKEN },
      ...(c.isolate === undefined ? {} : { settings: { isolate: c.isolate } }),
    });
    await h.ready();
    for (let i = 0; i < 10; i++) api.f(i);
    // Long past the first restart's backoff (50 ms; all five would take 1.55 s and their boots).
    await sleep(2000);
    const mine = faults.filter((f) => f.linkId === h.id);
    assert.equal(mine.length, 1, JSON.stringify(mine));
    assert.equal(mine[0]!.kind, 'load');
    assert.match(String(mine[0]!.error), /monitor broken at load/);
    if (c.binding === 'message') {
      assert.equal(mine[0]!.gaveUp, true);
      assert.equal(mine[0]!.restarts, 0);
    }
    await h.unlink();
    // Nothing was ever handled: every event is a drop, under both bindings.
    assert.equal(h.stats.events, 10);
    assert.equal(h.stats.drops, h.stats.events);
  });
}

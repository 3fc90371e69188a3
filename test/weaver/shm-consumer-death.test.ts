import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { link, onFault, type FaultReport } from '../../src/weaver/index.js';
import { defineModule } from '../../src/modules/define.js';
import { COUNTING } from '../fixtures/weaver/harness.js';

const faults: FaultReport[] = [];
onFault((f) => faults.push(f));

// The stats said `events` = 300 and `drops` = 0 for a consumer that died at its 50th event:
// what it had read but never flushed, and every event fired after, were counted nowhere.
test('shm binding: when the consumer dies, what no flush covered and what is fired after are drops', async () => {
  const api = defineModule('shm-death', { f: (x: number) => x + 1 });
  const once = join(mkdtempSync(join(tmpdir(), 'mscope-shm-death-')), 'crashed');
  const h = link('fn:shm-death:f:entry', () => {}, {
    binding: 'shm',
    remote: { module: pathToFileURL(COUNTING).href, options: { fault: 'crash', after: 50, once } },
    settings: { flushMs: 10 },
  });
  let folded = 0;
  h.onFlush((r) => (folded += (r as { count: number }).count));
  await h.ready();
  // In rounds, so that flushes cover some of the events before the monitor's 50th ends its worker.
  for (let round = 0; round < 20; round++) {
    for (let i = 0; i < 10; i++) api.f(i);
    await sleep(5);
  }
  for (let waited = 0; !faults.some((f) => f.linkId === h.id) && waited < 30_000; waited += 10) await sleep(10);
  assert.equal(faults.filter((f) => f.linkId === h.id)[0]?.kind, 'crash', JSON.stringify(faults));
  for (let i = 0; i < 100; i++) api.f(i);
  await h.unlink();
  const s = h.stats;
  assert.equal(s.events, 300);
  assert.ok(folded < 50, `folded ${folded}: the monitor ended at its 50th event`);
  assert.equal(folded + s.drops, s.events, `folded ${folded} + drops ${s.drops} != events ${s.events}`);
});

// A consumer that hangs while its link is being unlinked: the unlink's last flush never comes,
// and what the monitor never covered was counted nowhere.
test('shm binding: a consumer that hangs during an unlink leaves what it never covered as drops', async () => {
  const api = defineModule('shm-hang', { f: (x: number) => x + 1 });
  const h = link('fn:shm-hang:f:entry', () => {}, {
    binding: 'shm',
    remote: { module: pathToFileURL(COUNTING).href, options: { fault: 'loop', after: 1 } },
    settings: { deadlineMs: 200 },
  });
  await h.ready();
  for (let i = 0; i < 100; i++) api.f(i);
  await h.unlink();
  assert.equal(faults.filter((f) => f.linkId === h.id)[0]?.kind, 'hang', JSON.stringify(faults));
  assert.deepEqual(h.stats, { events: 100, drops: 100, faults: 1 });
});

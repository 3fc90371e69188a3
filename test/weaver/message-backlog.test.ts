import { test } from 'node:test';
import assert from 'node:assert/strict';
import { link } from '../../src/weaver/index.js';
import { defineModule } from '../../src/modules/define.js';

const MONITOR = new URL('../fixtures/weaver/counting-monitor.mjs', import.meta.url).href;

test('message binding: a program that never yields to its event loop keeps its events once the host has caught up', async () => {
  const api = defineModule(`backlog-${process.pid}`, { f: (x: number) => x + 1 });
  const h = link(`fn:backlog-${process.pid}:f:entry`, () => {}, {
    binding: 'message',
    remote: { module: MONITOR },
    settings: { maxQueued: 500 },
  });
  let flushed = 0;
  h.onFlush((r) => (flushed += (r as { count: number }).count));
  await h.ready();
  // One synchronous run: the host's acknowledgements can reach this thread only if it reads them itself.
  const until = Date.now() + 10_000;
  let sum = 0;
  while (h.stats.events - h.stats.drops < 20_000 && Date.now() < until) for (let i = 0; i < 1000; i++) sum += api.f(i);
  const { events, drops } = h.stats;
  assert.ok(sum > 0);
  // Before the fix the first full batch (about 1,600 events) filled the queue and every later event was dropped.
  assert.ok(events - drops >= 20_000, `${events - drops} of ${events} events kept`);
  await h.unlink();
  assert.equal(flushed + h.stats.drops, h.stats.events);
});

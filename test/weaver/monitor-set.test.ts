import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { MonitorSet } from '../../src/weaver/remote/monitor-set.js';
import { COUNTING } from '../fixtures/weaver/harness.js';

const FACTORY_THROWS = new URL('../fixtures/weaver/factory-throws.mjs', import.meta.url);

const event = { probe: { func: 'f', name: 'entry' } };

test('monitor set: interleaved and repeated links each reach their own monitor; a removed link starts afresh', async () => {
  const set = new MonitorSet(pathToFileURL(COUNTING).href, {});
  await set.load();
  for (const link of [1, 1, 2, 1, 3, 3, 2]) set.handle(link, event);
  assert.deepEqual(
    set.flushAll().map(([link, r]) => [link, (r as { count: number }).count]),
    [
      [1, 3],
      [2, 2],
      [3, 2],
    ],
  );
  assert.deepEqual(
    [1, 2, 3].map((link) => set.handled(link)),
    [3, 2, 2],
  );
  set.handle(3, event);
  assert.equal((set.remove(3) as { count: number }).count, 1);
  set.handle(3, event);
  set.handle(3, event);
  assert.equal((set.flush(3) as { count: number }).count, 2);
  assert.deepEqual(set.links(), [1, 2, 3]);
  assert.equal(set.handled(3), 2, 'a removed link counts afresh');
  assert.equal(set.handled(9), 0);
});

test('monitor set: events whose monitor could not be created are handled (as faults), and their link is not flushed', async () => {
  const set = new MonitorSet(FACTORY_THROWS.href, { broken: true });
  await set.load();
  set.handle(1, event);
  set.handle(1, event);
  assert.equal(set.handled(1), 2);
  assert.equal(set.faults, 2);
  assert.deepEqual(set.flushAll(), []);
});

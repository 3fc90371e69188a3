import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { MonitorSet } from '../../src/weaver/remote/monitor-set.js';
import { COUNTING } from '../fixtures/weaver/harness.js';

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
  set.handle(3, event);
  assert.equal((set.remove(3) as { count: number }).count, 1);
  set.handle(3, event);
  set.handle(3, event);
  assert.equal((set.flush(3) as { count: number }).count, 2);
  assert.deepEqual(set.links(), [1, 2, 3]);
});

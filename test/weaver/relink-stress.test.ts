import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { defineModule } from '../../src/modules/define.js';
import type { BindingKind } from '../../src/weaver/index.js';
import { countingLink } from '../fixtures/weaver/harness.js';

test('a busy link relinked direct → shm → message → direct … 100 times counts every call exactly once', async () => {
  const m = defineModule('stress', { work: (x: number) => x + 1 });
  const l = countingLink('fn:stress:work:entry', 'direct');
  const cycle: BindingKind[] = ['shm', 'message', 'direct'];
  let calls = 0;
  const burst = (): void => {
    for (let i = 0; i < 100; i++) calls += m.work(i) - i;
  };
  for (let r = 0; r < 100; r++) {
    burst();
    let done = false;
    const p = l.handle.relink({ binding: cycle[r % 3]! });
    void p?.then(() => (done = true));
    // Calls keep coming while the previous binding drains.
    while (p !== undefined && !done) {
      burst();
      await sleep(1);
    }
  }
  burst();
  const c = await l.finish();
  assert.equal(l.handle.stats.drops, 0);
  assert.equal(c.count, calls);
  assert.equal(l.handle.stats.events, calls);
});

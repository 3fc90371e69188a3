import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import { acct } from '../../src/accounting/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

before(() => acct.enable());
after(() => acct.disable());

it('charges a GC pause inside an activity to its gc_ns', async () => {
  await acct.run('collects', async () => {
    await sleep(1);
    gc();
    await sleep(1);
  });
  const r = acct.read()!;
  assert.equal(r.token, 'collects');
  assert.ok(r.gc_ns > 0, `gc_ns ${r.gc_ns}`);
  assert.ok(r.gc_ns <= r.cpu_ns, `gc_ns ${r.gc_ns} within cpu_ns ${r.cpu_ns}`);
});

it('keeps no finished activity alive: the GC subsystem logs segments, not activities', async () => {
  const refs: Array<WeakRef<object>> = [];
  for (let i = 0; i < 20; i++) {
    await acct.run(`short-${i}`, async () => {
      refs.push(new WeakRef(acct.current()!));
      await sleep(0);
    });
  }
  // A WeakRef keeps its target until the end of the job that made it.
  await new Promise((r) => setImmediate(r));
  gc();
  // The last one is what acct.read() returns after a run.
  assert.deepEqual(
    refs.slice(0, -1).map((r) => r.deref()),
    Array(19).fill(undefined),
  );
});

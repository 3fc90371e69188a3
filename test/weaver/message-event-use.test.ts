import { test } from 'node:test';
import assert from 'node:assert/strict';
import { link, type LinkOptions } from '../../src/weaver/index.js';
import { defineModule } from '../../src/modules/define.js';

const MONITOR = new URL('../fixtures/weaver/counting-monitor.mjs', import.meta.url).href;

interface Sample {
  args: unknown[];
  thisArg: unknown;
  retval: unknown;
}

/** What the message binding's worker saw of one call `f.call({ tag: 7 }, 1)` returning `{ out: 2 }`: an event of each probe linked. */
async function seen(name: string, use: Pick<LinkOptions, 'readsThis' | 'readsEvent'>, probes = 'return'): Promise<Sample[]> {
  const module = `event-use-${name}-${process.pid}`;
  const api = defineModule(module, {
    f(this: unknown, x: number) {
      return { out: x + 1 };
    },
  });
  const samples: Sample[] = [];
  const h = link(`fn:${module}:f:${probes}`, () => {}, {
    binding: 'message',
    remote: { module: MONITOR, options: { samples: 2 } },
    ...use,
  });
  h.onFlush((r) => samples.push(...(r as { samples: Sample[] }).samples));
  await h.ready();
  assert.deepEqual(api.f.call({ tag: 7 }, 1), { out: 2 });
  await h.unlink();
  return samples;
}

test('message binding: `this`, the arguments and the return value reach the worker as copies', async () => {
  const [s] = await seen('all', {});
  assert.deepEqual(s.thisArg, { tag: 7 });
  assert.deepEqual(s.args, [1]);
  assert.deepEqual(s.retval, { out: 2 });
});

test('message binding: a link that never reads `this` ships no copy of it', async () => {
  const [s] = await seen('no-this', { readsThis: false });
  assert.equal(s.thisArg, undefined);
  assert.deepEqual(s.args, [1]);
  assert.deepEqual(s.retval, { out: 2 });
});

test('message binding: a link that reads only the probe ships no value of the event', async () => {
  for (const probes of ['return', '']) {
    // '': entry and return in one link, as `fn:::entry,fn:::return { @[probefunc] = count(); }` links them.
    const samples = await seen(`probe-only${probes}`, { readsEvent: false }, probes);
    assert.equal(samples.length, probes === '' ? 2 : 1);
    for (const s of samples) {
      assert.equal(s.thisArg, undefined, probes);
      assert.deepEqual(s.args, [], probes);
      assert.equal(s.retval, undefined, probes);
    }
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineModule } from '../../src/modules/define.js';
import type { BindingKind } from '../../src/weaver/index.js';
import { countingLink } from '../fixtures/weaver/harness.js';

let n = 0;

/**
 * Fires once, waits for the host's first flush (it follows the host's `ready`, which says
 * whether the monitor reads timestamps), then fires a call traced at entry and return.
 */
async function samples(binding: BindingKind, untimed: boolean): Promise<Array<Record<string, unknown>>> {
  const name = `stamps${++n}`;
  const m = defineModule(name, { f: (x: number) => x + 1 });
  const l = countingLink(`fn:${name}:f:`, binding, { samples: 4, untimed }, { flushMs: 10 });
  m.f(0);
  // The host's worker does not keep the process alive; this timer does while we wait.
  const alive = setInterval(() => {}, 1000);
  await new Promise<void>((resolve) => l.handle.onFlush(() => resolve()));
  clearInterval(alive);
  m.f(1);
  const c = await l.finish();
  assert.equal(c.count, 4);
  return c.samples.slice(2);
}

for (const binding of ['shm', 'message'] as const) {
  test(`${binding}: a monitor that says it never reads timestamps gets 0 and the probe site skips the clock; others get the time`, async () => {
    const [entry, ret] = await samples(binding, true);
    assert.equal(entry!.timestamp, 0);
    assert.equal(ret!.timestamp, 0);
    assert.equal(ret!.elapsed, 0);
    const [timedEntry, timedRet] = await samples(binding, false);
    assert.ok((timedEntry!.timestamp as number) > 0);
    assert.ok((timedRet!.timestamp as number) >= (timedEntry!.timestamp as number));
  });
}

for (const binding of ['shm', 'message'] as const) {
  test(`${binding}: ready() resolves once the monitor has loaded, and the next event then skips the clock`, async () => {
    const name = `stamps${++n}`;
    const m = defineModule(name, { f: (x: number) => x + 1 });
    const l = countingLink(`fn:${name}:f:entry`, binding, { samples: 1, untimed: true });
    // Nothing else keeps this process alive: ready() must, or the test would end here.
    await l.handle.ready();
    m.f(0);
    const c = await l.finish();
    assert.equal(c.count, 1);
    assert.equal(c.samples[0]!.timestamp, 0);
  });

  test(`${binding}: ready() resolves when the monitor cannot be loaded`, async () => {
    const { link } = await import('../../src/weaver/index.js');
    const missing = new URL('../fixtures/weaver/no-such-monitor.mjs', import.meta.url).href;
    const h = link(`fn:stamps-missing-${binding}:f:entry`, () => {}, {
      binding,
      remote: { module: missing },
      settings: { maxRestarts: 0 },
    });
    await h.ready();
    await h.unlink();
  });
}

test('direct: ready() resolves at once', async () => {
  const { link } = await import('../../src/weaver/index.js');
  const h = link('fn:stamps-direct:f:entry', () => {});
  await h.ready();
  h.unlink();
});

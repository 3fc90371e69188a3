import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';

type Mode = 'interrupt' | 'polling';
interface Counters {
  packets: number;
  drops: number;
  occupancy: number;
}
interface Driver {
  irq(): void;
  setMode(m: Mode): void;
}
interface PolicyModule {
  startPolicy(counters: () => Counters, driver: Driver, state: { mode: Mode }): () => void;
}
const POLICY = new URL('../../examples/nic/policy.mjs', import.meta.url).href;
// The policy links into the driver's probe sites through the installed package's registry.
const { defineModule } = (await import('microscope')) as { defineModule<T extends object>(name: string, api: T): T };

const state = { mode: 'interrupt' as Mode };
const switches: Mode[] = [];
/** The driver's API as the policy sees it: its `irq` is a probe site, its switches are recorded. */
const driver = defineModule('nic-driver', {
  irq() {},
  setMode(m: Mode) {
    if (m === state.mode) return;
    state.mode = m;
    switches.push(m);
  },
});

/** Starts the policy on the driver in interrupt mode; `nic` is what the policy reads. */
async function withPolicy(t: TestContext, nic: (elapsedMs: number) => Counters) {
  const { startPolicy } = (await import(POLICY)) as PolicyModule;
  state.mode = 'interrupt';
  switches.length = 0;
  const t0 = performance.now();
  // Stopped even when an assertion fails first: a live interval would keep the file's Node running.
  t.after(startPolicy(() => nic(performance.now() - t0), driver, state));
  return { state, switches };
}

/** Waits for `done`, for at most 5 s: a loaded machine delays the policy's ticks. */
const until = async (done: () => boolean): Promise<void> => {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
};

test("the interrupt that finds a poll's whole budget queued switches to polling, without waiting for a tick", async (t) => {
  // No packets offered at all (the rate says interrupts): only the backlog can switch it.
  const p = await withPolicy(t, () => ({ packets: 0, drops: 0, occupancy: 64 }));
  assert.deepEqual(p.switches, []);
  driver.irq();
  assert.deepEqual(p.switches, ['polling']);
});

test('a small backlog at a low rate keeps interrupts', async (t) => {
  const p = await withPolicy(t, () => ({ packets: 0, drops: 0, occupancy: 63 }));
  driver.irq();
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(p.switches, []);
});

test('a stopped policy no longer acts on a backlog', async () => {
  const { startPolicy } = (await import(POLICY)) as PolicyModule;
  state.mode = 'interrupt';
  switches.length = 0;
  startPolicy(() => ({ packets: 0, drops: 0, occupancy: 500 }), driver, state)();
  driver.irq();
  assert.deepEqual(switches, []);
});

test('the offered rate switches to polling above its threshold and back below the lower one', async (t) => {
  // 100,000 packets/s (drops count as offered) for 600 ms, then nothing more: two windows of
  // 20 ms past the threshold even where the ticks come late.
  const p = await withPolicy(t, (ms) => ({ packets: 0, drops: Math.round(Math.min(ms, 600) * 100), occupancy: 0 }));
  await until(() => p.switches.length > 0);
  assert.deepEqual(p.switches, ['polling']);
  await until(() => p.switches.length > 1);
  assert.deepEqual(p.switches, ['polling', 'interrupt']);
});

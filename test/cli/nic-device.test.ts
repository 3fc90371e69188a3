import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

interface NicModule {
  Nic: new (
    phases: { rate: number; packets: number }[],
    options?: { gated?: boolean },
  ) => {
    readonly ctrl: Int32Array;
    start(): Promise<number>;
    ack(p: number): void;
    counters(): { packets: number };
  };
}
interface LayoutModule {
  C: Record<string, number>;
}
const NIC = new URL('../../examples/nic/nic.mjs', import.meta.url).href;
const LAYOUT = new URL('../../examples/nic/layout.mjs', import.meta.url).href;

test('a gated NIC starts a phase only once the demo acknowledges it, however late', async () => {
  const { Nic } = (await import(NIC)) as NicModule;
  const { C } = (await import(LAYOUT)) as LayoutModule;
  const nic = new Nic(
    [
      { rate: 100_000, packets: 50 },
      { rate: 100_000, packets: 50 },
    ],
    { gated: true },
  );
  const done = nic.start();
  // Nothing drains the ring (1,024 slots): every packet sent stays counted.
  while (Atomics.load(nic.ctrl, C.PHASE!) !== 1) await sleep(5);
  // The demo's timer late by far more than a phase takes: phase 1 still has sent nothing.
  await sleep(300);
  assert.equal(nic.counters().packets, 50);
  nic.ack(1);
  await done;
  assert.equal(nic.counters().packets, 100);
});

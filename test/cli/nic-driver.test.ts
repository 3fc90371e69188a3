import { test } from 'node:test';
import assert from 'node:assert/strict';

type Mode = 'interrupt' | 'polling';
interface NicModule {
  Nic: new (phases: { rate: number; packets: number }[]) => {
    start(): Promise<number>;
    dropsIn(p: number): number;
  };
}
interface DriverModule {
  createDriver(nic: unknown): {
    driver: { setMode(m: Mode): void };
    run(): Promise<void>;
    state: { mode: Mode; switches: number[] };
    latencies(p: number): Float64Array;
    cpu: number[];
  };
}
const NIC = new URL('../../examples/nic/nic.mjs', import.meta.url).href;
const DRIVER = new URL('../../examples/nic/driver.mjs', import.meta.url).href;

test('the driver delivers every packet of every phase across switches of mode, each with its latency and phase', async () => {
  const { Nic } = (await import(NIC)) as NicModule;
  const { createDriver } = (await import(DRIVER)) as DriverModule;
  const phases = [
    { rate: 20_000, packets: 300 },
    { rate: 20_000, packets: 300 },
    { rate: 20_000, packets: 300 },
  ];
  const nic = new Nic(phases);
  const d = createDriver(nic);
  // Switch at every 100th packet delivered: the driver leaves one mode's loop and enters the other's.
  let seen = 0;
  const flip = setInterval(() => {
    const now = phases.reduce((n, _, i) => n + d.latencies(i).length, 0);
    if (now >= seen + 100) {
      seen = now;
      d.driver.setMode(d.state.mode === 'interrupt' ? 'polling' : 'interrupt');
    }
  }, 1);
  await Promise.all([nic.start(), d.run()]);
  clearInterval(flip);
  for (let i = 0; i < phases.length; i++) {
    const l = d.latencies(i);
    assert.equal(l.length + nic.dropsIn(i), 300, `phase ${i}: delivered ${l.length}, dropped ${nic.dropsIn(i)}`);
    assert.ok(
      l.every((ns) => ns > 0),
      `phase ${i}: every latency positive`,
    );
    assert.ok(Number.isFinite(d.cpu[i]) && d.cpu[i]! >= 0, `phase ${i}: CPU ${d.cpu[i]}`);
  }
  // CPU goes to the phase the driver sees at each turn: a 15 ms phase that ran entirely while the
  // driver was descheduled (a loaded CI machine) is charged to its neighbours, so only the total is
  // sure to be positive.
  assert.ok(d.cpu.reduce((a, b) => a + b, 0) > 0, 'CPU charged');
  assert.ok(d.state.switches.reduce((a, b) => a + b, 0) >= 2, `switched ${String(d.state.switches)}`);
});

// The NIC driver, a module built with defineModule so that every function is a probe site
// (fn:nic-driver:FUNCTION:entry|return). It runs in interrupt mode (woken per packet through
// Atomics.waitAsync on the doorbell; each interrupt costs a fixed overhead, as a real one costs
// a context switch) or in polling mode (interrupts off, drains up to 64 descriptors per turn of
// the event loop, NAPI-style, spinning when idle), switchable at run time by setMode().
import { readFileSync } from 'node:fs';
import { defineModule } from 'microscope';
import { C, RING } from './layout.mjs';

const BUDGET = 64;
/** What handling one interrupt costs beyond the packet itself (entry, exit, cache refill), ns. */
const IRQ_OVERHEAD_NS = 5_000;

/** This thread's CPU time in ns: threadCpuUsage where Node has it (22.15+), else its schedstat. */
export function threadCpuNs() {
  if (typeof process.threadCpuUsage === 'function') {
    const u = process.threadCpuUsage();
    return (u.user + u.system) * 1000;
  }
  return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
}

const now = () => Number(process.hrtime.bigint());
const turn = () => new Promise((r) => setImmediate(r));

export function createDriver(nic) {
  const { ctrl, arrivals, tags } = nic;
  const phases = nic.phases.length;
  /** Ground truth, kept by the driver itself: every packet's latency, by phase. */
  const latencies = Array.from({ length: phases }, () => []);
  const cpu = new Array(phases).fill(0);
  const state = { mode: 'interrupt', switches: new Array(phases).fill(0), phase: 0 };

  const driver = defineModule('nic-driver', {
    /** Hands one packet to the stack: what the telemetry's latency comes from. */
    deliver(latencyNs, phase) {
      latencies[phase].push(latencyNs);
    },
    /** One poll's batch, for the telemetry. */
    batch(size) {
      return size;
    },
    receive() {
      const tail = ctrl[C.TAIL];
      const slot = tail % RING;
      driver.deliver(now() - arrivals[slot], tags[slot]);
      Atomics.store(ctrl, C.TAIL, tail + 1);
    },
    irq() {
      const until = now() + IRQ_OVERHEAD_NS;
      while (now() < until);
      driver.receive();
    },
    poll(budget) {
      let n = 0;
      while (n < budget && Atomics.load(ctrl, C.HEAD) !== ctrl[C.TAIL]) {
        driver.receive();
        n++;
      }
      if (n > 0) driver.batch(n);
      return n;
    },
    setMode(mode) {
      if (mode === state.mode) return;
      state.mode = mode;
      state.switches[state.phase]++;
      Atomics.store(ctrl, C.IRQ_ENABLED, mode === 'interrupt' ? 1 : 0);
    },
  });

  async function run() {
    Atomics.store(ctrl, C.IRQ_ENABLED, state.mode === 'interrupt' ? 1 : 0);
    let mark = threadCpuNs();
    for (;;) {
      const phase = Atomics.load(ctrl, C.PHASE);
      if (phase !== state.phase) {
        const t = threadCpuNs();
        cpu[state.phase] += t - mark;
        mark = t;
        state.phase = phase;
      }
      const empty = Atomics.load(ctrl, C.HEAD) === ctrl[C.TAIL];
      if (empty && Atomics.load(ctrl, C.STOP) === 1) break;
      if (state.mode === 'polling') driver.poll(BUDGET);
      else if (!empty) driver.irq();
      else {
        // The doorbell is read before the ring: a packet arriving in between changes it, so no wake-up is lost.
        const bell = Atomics.load(ctrl, C.DOORBELL);
        if (Atomics.load(ctrl, C.HEAD) !== ctrl[C.TAIL]) continue;
        const w = Atomics.waitAsync(ctrl, C.DOORBELL, bell, 20);
        if (w.async) await w.value;
        continue;
      }
      await turn();
    }
    cpu[state.phase] += threadCpuNs() - mark;
  }

  return { driver, run, state, latencies, cpu };
}

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
  // Ground truth, kept by the driver itself: every packet's latency, by phase. Preallocated: a
  // growing array copies itself at 15k, 22k, 34k… entries, each a pause of ~1 ms of the driver,
  // which was most of every mode's p99 in the burst.
  const recorded = nic.phases.map((p) => new Float64Array(p.packets));
  const counts = new Array(phases).fill(0);
  const cpu = new Array(phases).fill(0);
  const state = { mode: 'interrupt', switches: new Array(phases).fill(0), phase: 0 };

  const driver = defineModule('nic-driver', {
    /** Hands one packet to the stack: what the telemetry's latency comes from. */
    deliver(latencyNs, phase) {
      recorded[phase][counts[phase]++] = latencyNs;
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

  let mark = 0;
  /** Follows the device's phase, charging the CPU used since the last change to the phase that ran. */
  function followPhase() {
    const phase = Atomics.load(ctrl, C.PHASE);
    if (phase === state.phase) return;
    const t = threadCpuNs();
    cpu[state.phase] += t - mark;
    mark = t;
    state.phase = phase;
  }
  const drained = () => Atomics.load(ctrl, C.HEAD) === ctrl[C.TAIL];
  const stopped = () => Atomics.load(ctrl, C.STOP) === 1;

  // One loop per mode, each returning when the mode changes (true once the device has stopped
  // and the ring is drained), so that a switch does not deoptimize the other mode's loop (six
  // runs each, a noisy machine: the policy's burst p99 0.07-1.1 ms, one loop for both 0.15-2.9).
  async function pollLoop() {
    while (state.mode === 'polling') {
      followPhase();
      if (drained() && stopped()) return true;
      driver.poll(BUDGET);
      await turn();
    }
    return false;
  }

  async function interruptLoop() {
    while (state.mode === 'interrupt') {
      followPhase();
      if (!drained()) {
        driver.irq();
        await turn();
        continue;
      }
      if (stopped()) return true;
      // The doorbell is read before the ring: a packet arriving in between changes it, so no wake-up is lost.
      const bell = Atomics.load(ctrl, C.DOORBELL);
      if (!drained()) continue;
      const w = Atomics.waitAsync(ctrl, C.DOORBELL, bell, 20);
      if (w.async) await w.value;
    }
    return false;
  }

  async function run() {
    Atomics.store(ctrl, C.IRQ_ENABLED, state.mode === 'interrupt' ? 1 : 0);
    mark = threadCpuNs();
    while (!(state.mode === 'polling' ? await pollLoop() : await interruptLoop()));
    cpu[state.phase] += threadCpuNs() - mark;
  }

  /** Every delivered packet's latency in phase `p` (ns), in delivery order. */
  const latencies = (p) => recorded[p].subarray(0, counts[p]);
  return { driver, run, state, latencies, cpu };
}

// The simulated NIC's hardware, on its own thread: fills the descriptor ring at each phase's
// packet rate, drops when the ring is full, and raises an "interrupt" (Atomics.notify on the
// doorbell) per packet while the driver has interrupts enabled.
import { workerData } from 'node:worker_threads';
import { C, RING } from './layout.mjs';

const { sab, phases, gated } = workerData;
const ctrl = new Int32Array(sab, 0, C.SIZE);
const arrivals = new Float64Array(sab, C.SIZE * 4, RING);
const tags = new Int32Array(sab, C.SIZE * 4 + RING * 8, RING);
const nap = new Int32Array(new SharedArrayBuffer(4));

function push(now, phase) {
  const head = ctrl[C.HEAD];
  if (head - Atomics.load(ctrl, C.TAIL) >= RING) {
    Atomics.add(ctrl, C.DROPS, 1);
    Atomics.add(ctrl, C.DROPS + 1 + phase, 1);
    return;
  }
  arrivals[head % RING] = now;
  tags[head % RING] = phase;
  Atomics.store(ctrl, C.HEAD, head + 1);
  Atomics.add(ctrl, C.PACKETS, 1);
  if (Atomics.load(ctrl, C.IRQ_ENABLED) === 1) {
    Atomics.add(ctrl, C.IRQS, 1);
    Atomics.add(ctrl, C.DOORBELL, 1);
    Atomics.notify(ctrl, C.DOORBELL);
  }
}

for (let p = 0; p < phases.length; p++) {
  const { rate, packets } = phases[p];
  Atomics.store(ctrl, C.PHASE, p);
  // Gated: a loaded machine may not run the demo's timer within a phase, so the phase waits for it.
  for (let a = Atomics.load(ctrl, C.ACK); gated && a < p; a = Atomics.load(ctrl, C.ACK)) Atomics.wait(ctrl, C.ACK, a, 100);
  const t0 = Number(process.hrtime.bigint());
  let sent = 0;
  while (sent < packets) {
    const now = Number(process.hrtime.bigint());
    const due = Math.min(packets, Math.floor(((now - t0) * rate) / 1e9));
    for (; sent < due; sent++) push(now, p);
    Atomics.wait(nap, 0, 0, 0.2);
  }
}
Atomics.store(ctrl, C.STOP, 1);
Atomics.add(ctrl, C.DOORBELL, 1);
Atomics.notify(ctrl, C.DOORBELL);

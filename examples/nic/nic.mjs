// The simulated NIC as the driver sees it: the shared ring and counters, and the device thread.
import { Worker } from 'node:worker_threads';
import { BYTES, C, RING } from './layout.mjs';

export class Nic {
  /** `gated`: the device starts each phase after the first only once `ack` says so. */
  constructor(phases, { gated = false } = {}) {
    this.phases = phases;
    this.gated = gated;
    this.sab = new SharedArrayBuffer(BYTES);
    this.ctrl = new Int32Array(this.sab, 0, C.SIZE);
    this.arrivals = new Float64Array(this.sab, C.SIZE * 4, RING);
    this.tags = new Int32Array(this.sab, C.SIZE * 4 + RING * 8, RING);
  }

  /** Starts the device thread; resolves when it has sent every phase's packets. */
  start() {
    const worker = new Worker(new URL('./device.mjs', import.meta.url), {
      workerData: { sab: this.sab, phases: this.phases, gated: this.gated },
    });
    return new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.once('exit', resolve);
    });
  }

  /** Lets a gated device start phase `p`. */
  ack(p) {
    Atomics.store(this.ctrl, C.ACK, p);
    Atomics.notify(this.ctrl, C.ACK);
  }

  /** Hardware-like counters: packets received into the ring, drops (ring full), interrupts raised. */
  counters() {
    const c = this.ctrl;
    return { packets: c[C.PACKETS], drops: c[C.DROPS], interrupts: c[C.IRQS], occupancy: c[C.HEAD] - c[C.TAIL] };
  }

  dropsIn(phase) {
    return this.ctrl[C.DROPS + 1 + phase];
  }
}

// The shared-memory layout of the simulated NIC: control words, then the descriptor ring
// (arrival time in ns, and the workload phase that sent the packet).
export const RING = 1024;
export const C = {
  HEAD: 0,
  TAIL: 1,
  PACKETS: 2,
  IRQS: 3,
  IRQ_ENABLED: 4,
  DOORBELL: 5,
  PHASE: 6,
  STOP: 7,
  /** Total drops, then drops per phase (up to 7 phases). */
  DROPS: 8,
  /** A gated device starts phase p once this is p: the demo has done what that phase is for. */
  ACK: 16,
  /** Even, so that the ring's Float64Array after the words is aligned. */
  SIZE: 18,
};
export const BYTES = C.SIZE * 4 + RING * 8 + RING * 4;

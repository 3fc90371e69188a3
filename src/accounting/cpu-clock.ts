import { cpuNs } from '../core/index.js';

export { cpuClockKind } from '../core/index.js';

/** Reads CPU time in ns. */
export type CpuClock = () => number;

/**
 * The 'thread' CPU clock (core's `cpuNs`, see `cpuClockKind`). /proc/thread-self/schedstat is no
 * substitute: for a running thread it advances only at scheduler ticks (measured: ~3 ms steps).
 * Unlike the default wall clock, it does not count time the thread was descheduled.
 */
export function threadCpuClock(): CpuClock {
  return cpuNs;
}

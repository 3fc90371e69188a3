import { performance } from 'node:perf_hooks';

/**
 * Monotonic time in nanoseconds since the process started, as a double.
 * performance.now() is cheaper than hrtime.bigint() here (see bench/clock) and a double
 * keeps nanosecond resolution for about 104 days of uptime.
 */
export function nowNs(): number {
  return Math.round(performance.now() * 1e6);
}

/** Wall-clock time in nanoseconds since the Unix epoch. */
export function wallNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e3)) * 1000n;
}

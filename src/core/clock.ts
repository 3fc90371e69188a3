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

const threadCpuUsage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;

/** True when `cpuNs` is this thread's CPU time alone (Node 22.15+), not the process's. */
export const hasThreadCpuClock = typeof threadCpuUsage === 'function';

/**
 * CPU time (user + system) in ns: this thread's where Node has `process.threadCpuUsage`
 * (about 0.4 µs a read, µs resolution), else the process's (`process.cpuUsage`, which also
 * counts the threadpool and V8's helper threads). Time the thread was descheduled is not counted.
 */
export function cpuNs(): number {
  const u = threadCpuUsage !== undefined ? threadCpuUsage.call(process) : process.cpuUsage();
  return (u.user + u.system) * 1000;
}

/** Reads CPU time in ns. */
export type CpuClock = () => number;

/**
 * The 'thread' CPU clock: process.threadCpuUsage() where it exists (22.15+, ~0.4 µs, µs
 * resolution), else process.cpuUsage() (~0.7 µs), which also counts the threadpool's and
 * V8's helper threads. /proc/thread-self/schedstat is no substitute: for a running thread
 * it advances only at scheduler ticks (measured: ~3 ms steps). Unlike the default wall
 * clock, neither counts time the thread was descheduled.
 */
export function threadCpuClock(): CpuClock {
  const p = process as { threadCpuUsage?: () => { user: number; system: number } };
  const read = typeof p.threadCpuUsage === 'function' ? p.threadCpuUsage.bind(process) : process.cpuUsage.bind(process);
  return () => {
    const u = read();
    return (u.user + u.system) * 1000;
  };
}

/** True when `threadCpuClock` is this thread's alone. */
export const hasThreadCpuClock = typeof (process as { threadCpuUsage?: unknown }).threadCpuUsage === 'function';

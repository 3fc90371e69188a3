import { performance } from 'node:perf_hooks';

/**
 * Monotonic time in nanoseconds since the process started, as a double.
 * Every clock Node offers costs about the same on this VM (41-50 ns a read through
 * kvm-clock, docs/benchmarks.md "costs"); this one allocates nothing, and a double keeps
 * nanosecond resolution for about 104 days of uptime.
 */
export function nowNs(): number {
  return Math.round(performance.now() * 1e6);
}

/** Wall-clock time in nanoseconds since the Unix epoch. */
export function wallNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e3)) * 1000n;
}

const threadCpuUsage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage;

function threadCpu(): number {
  const u = threadCpuUsage!.call(process);
  return (u.user + u.system) * 1000;
}

function processCpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

/** A step this large is a scheduler tick, not a clock that reads the thread's own run time. */
const COARSE_STEP_NS = 100_000;

/**
 * Whether `process.threadCpuUsage` reads finely here. On Linux it is getrusage(RUSAGE_THREAD),
 * which on some kernels advances only at scheduler ticks (measured: 4 ms steps on 6.18 with
 * HZ=250); a tick clock would charge a 1 ms segment 0 or 4 ms. Spins until it moves, at most 0.3 ms.
 */
function threadCpuIsFine(): boolean {
  if (threadCpuUsage === undefined) return false;
  const first = threadCpu();
  const until = performance.now() + 0.3;
  for (;;) {
    const t = threadCpu();
    if (t !== first) return t - first < COARSE_STEP_NS;
    if (performance.now() > until) return false;
  }
}

export type CpuClockKind = 'thread' | 'process';

let kind: CpuClockKind | undefined;
let readCpu: () => number = chooseCpuClock;

function chooseCpuClock(): number {
  kind = threadCpuIsFine() ? 'thread' : 'process';
  readCpu = kind === 'thread' ? threadCpu : processCpu;
  return readCpu();
}

/**
 * Which clock `cpuNs` reads, chosen on first use: 'thread' is this thread's CPU time alone
 * (`process.threadCpuUsage`, Node 22.15+, where it reads finely); 'process' is the process's
 * (`process.cpuUsage`, µs steps), which also counts the threadpool and V8's helper threads.
 */
export function cpuClockKind(): CpuClockKind {
  if (kind === undefined) chooseCpuClock();
  return kind!;
}

/** CPU time (user + system) in ns, by the clock `cpuClockKind` names. Time the thread was descheduled is not counted. */
export function cpuNs(): number {
  return readCpu();
}

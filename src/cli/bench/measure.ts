import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { MscopeError, ErrorCode } from '../../core/index.js';

/** What one run of a command is measured by. */
export type Measure = 'wall' | 'cpu' | 'rss';

export const MEASURE_UNITS: Record<Measure, string> = { wall: 's', cpu: 's', rss: 'MiB' };

export interface RunSpec {
  readonly argv: readonly string[];
  readonly measure: Measure;
  /** A number the command prints on stdout: the first capture group (or the match) of its first match. */
  readonly metric: RegExp | undefined;
  /** Pids whose memory is not the program's (mscope's own process, for the traced run). */
  readonly excludeSelf: boolean;
  readonly label: string;
}

const RSS_POLL_MS = 10;
const STDERR_TAIL = 2000;

/** Runs the command once and returns its figure; a failed run is an error naming the run. */
export async function measureRun(spec: RunSpec): Promise<number> {
  const cpuBefore = childrenCpuSeconds();
  const start = performance.now();
  const child = spawn(spec.argv[0]!, spec.argv.slice(1), { stdio: ['ignore', spec.metric === undefined ? 'ignore' : 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-STDERR_TAIL)));
  // A first reading at once, the command just exec'd: a loop held up for the whole of a short run
  // (two busy processes on two cores) would otherwise poll it never and read 0.
  let peak = spec.measure === 'rss' && child.pid !== undefined ? treePeakRss(child.pid, spec.excludeSelf) : 0;
  const poll =
    spec.measure === 'rss' && child.pid !== undefined
      ? setInterval(() => (peak = Math.max(peak, treePeakRss(child.pid!, spec.excludeSelf))), RSS_POLL_MS)
      : undefined;
  const status = await new Promise<number | string>((resolve, reject) => {
    child.on('error', (e) => reject(new MscopeError(ErrorCode.BadCommand, `mscope bench: cannot run ${spec.argv[0]}: ${e.message}`)));
    child.on('close', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  }).finally(() => clearInterval(poll));
  const wall = (performance.now() - start) / 1000;
  if (status !== 0) {
    const tail = stderr.trimEnd().split('\n').slice(-1)[0] ?? '';
    throw new MscopeError(
      ErrorCode.BadCommand,
      `mscope bench: the ${spec.label} run exited with ${status}${tail === '' ? '' : `: ${tail}`}`,
    );
  }
  if (spec.metric !== undefined) return metricOf(stdout, spec.metric, spec.label);
  if (spec.measure === 'cpu') return childrenCpuSeconds() - cpuBefore;
  if (spec.measure === 'rss') return peak / (1024 * 1024);
  return wall;
}

function metricOf(stdout: string, metric: RegExp, label: string): number {
  const m = metric.exec(stdout);
  const text = m === null ? undefined : (m[1] ?? m[0]);
  const value = text === undefined ? NaN : Number(text);
  if (!Number.isFinite(value)) {
    const found = m === null ? 'no match' : `"${text}" is not a number`;
    throw new MscopeError(ErrorCode.BadCommand, `mscope bench: --metric ${metric.source}: ${found} in the ${label} run's output`);
  }
  return value;
}

/** USER_HZ: Linux reports /proc times in 1/100 s whatever the kernel's HZ. */
const CLOCK_TICKS = 100;

/** User + system seconds of this process's waited-for descendants (Linux /proc/self/stat). */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}

/** The largest peak resident set (VmHWM) among `pid`'s process tree, in bytes. */
function treePeakRss(pid: number, excludeRoot: boolean): number {
  let peak = excludeRoot ? 0 : peakRss(pid);
  for (const child of children(pid)) peak = Math.max(peak, treePeakRss(child, false));
  return peak;
}

function peakRss(pid: number): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? 0 : Number(kb) * 1024;
  } catch {
    return 0; // the process ended between two polls; its last reading stands
  }
}

function children(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

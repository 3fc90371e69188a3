import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Environment variables that change what every Node start costs: the line names those set. */
const START_ENV = ['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS'];

/** One line describing where the numbers come from. */
export function describeMachine() {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const gib = (os.totalmem() / 2 ** 30).toFixed(1);
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const env = START_ENV.filter((name) => (process.env[name] ?? '') !== '');
  const set = env.length === 0 ? '' : `; ${env.join(' and ')} set (a Node start's cost depends on it)`;
  return `${model}, ${cpus.length} CPUs, ${gib} GiB, ${os.type()} ${os.release()} (${os.arch()}); load average at start ${load}${set}`;
}

/**
 * CPU time used by everything but this process and its reaped children, from /proc (Linux):
 * the machine's busy time minus our own. Call once before and once after a benchmark and
 * pass both to `otherWorkNote`; other work running meanwhile makes every sample noisier.
 */
export function cpuSnapshot() {
  try {
    const stat = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    const busy = stat.slice(0, 8).reduce((s, x) => s + x, 0) - stat[3] - stat[4];
    // Fields after the command name: utime stime cutime cstime are the 14th–17th overall.
    const self = readFileSync('/proc/self/stat', 'utf8');
    const f = self.slice(self.lastIndexOf(')') + 2).split(' ');
    const own = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    return { busy, own, at: process.hrtime.bigint() };
  } catch {
    return null;
  }
}

/** A note when other processes kept the CPUs more than 5 % busy between two snapshots. */
export function otherWorkNote(before, after) {
  if (before === null || after === null) return null;
  const ticks = 100; // USER_HZ on Linux
  const seconds = Number(after.at - before.at) / 1e9;
  const other = (after.busy - before.busy - (after.own - before.own)) / ticks;
  const share = other / (seconds * os.cpus().length);
  if (share < 0.05) return null;
  return `other work was running: processes outside this benchmark used ${other.toFixed(0)} CPU-seconds in ${seconds.toFixed(0)} s (${(share * 100).toFixed(0)} % of the ${os.cpus().length} CPUs)`;
}

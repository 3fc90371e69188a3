import os from 'node:os';

/** One line describing where the numbers come from. */
export function describeMachine() {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const gib = (os.totalmem() / 2 ** 30).toFixed(1);
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${model}, ${cpus.length} CPUs, ${gib} GiB, ${os.type()} ${os.release()} (${os.arch()}); load average at start ${load}`;
}

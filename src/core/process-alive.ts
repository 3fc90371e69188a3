import { readFileSync } from 'node:fs';

/** Whether process `pid` exists: signal 0 checks without sending; EPERM means it runs as another user. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The parent of `pid` from /proc; null when it has ended. */
function parentOf(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name in parentheses may hold spaces and ')': the fields follow the last ')'.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/**
 * Whether `pid` is this process's parent, grandparent or further up. A pid reused since cannot
 * pass: a process that has ended is nobody's ancestor. Without /proc (not Linux), whether it is alive.
 */
export function isAncestor(pid: number): boolean {
  if (process.platform !== 'linux') return process.ppid === pid || processAlive(pid);
  let p = process.ppid;
  for (let depth = 0; p > 1 && depth < 4096; depth++) {
    if (p === pid) return true;
    const parent = parentOf(p);
    if (parent === null) return false;
    p = parent;
  }
  return false;
}

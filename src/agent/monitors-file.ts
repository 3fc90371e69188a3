import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { MonitorSpec } from './protocol.js';
import { isAncestor } from '../core/process-alive.js';

/** How often a waiting agent asks whether the mscope it waits for is still there. */
const CONSUMER_CHECK_MS = 50;
/** How often it looks for the file when it cannot watch the directory. */
const POLL_MS = 5;

/**
 * The monitors mscope wrote for the agents. A CMD that mscope started before it had compiled
 * them (consumer/command-target.ts, `hold`) finds the session but not yet the file: it waits
 * for the file, before any of the program runs. If that mscope is gone meanwhile, the process
 * ends without running the program, as it would never have started had mscope died sooner.
 */
export async function readMonitorsFile(file: string, consumerPid: number): Promise<MonitorSpec[]> {
  if (consumerPid > 0 && !existsSync(file) && existsSync(dirname(file))) {
    // Held: mscope's child, or a grandchild its parent started without waiting (`node --test`
    // runs no --import preload). Once mscope has exited it is nobody's ancestor.
    const appeared = await monitorsAppear(file, () => isAncestor(consumerPid), true);
    if (!appeared) {
      process.stderr.write(`mscope: mscope (pid ${consumerPid}) ended before it released this process; the program did not run\n`);
      process.exit(1);
    }
  }
  return readWrittenMonitors(file);
}

/** The monitors of a file mscope has written already (a process started after its release). */
export function readWrittenMonitors(file: string): MonitorSpec[] {
  return JSON.parse(readFileSync(file, 'utf8')) as MonitorSpec[];
}

/**
 * Resolves true once `file` exists (mscope renames it into place when it has compiled), false
 * as soon as `wanted()` says mscope no longer wants it (checked every 50 ms) or its directory
 * has gone. Leaves no watcher or timer behind either way. `ref`: the wait keeps the process alive
 * (a held CMD, none of whose program has run); an attached program may end meanwhile.
 */
export function monitorsAppear(file: string, wanted: () => boolean, ref: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    let watcher: FSWatcher | null = null;
    let timer: NodeJS.Timeout | null = null;
    const done = (appeared: boolean): void => {
      if (timer !== null) clearInterval(timer);
      timer = null;
      watcher?.close();
      watcher = null;
      resolve(appeared);
    };
    const check = (): void => {
      if (timer === null && watcher === null) return;
      if (existsSync(file)) return done(true);
      if (!existsSync(dirname(file)) || !wanted()) done(false);
    };
    /** Without inotify (the user's watches used up, or the watch failed), the file is looked for every few ms instead. */
    const poll = (): void => {
      watcher?.close();
      watcher = null;
      if (timer !== null) clearInterval(timer);
      timer = setInterval(check, POLL_MS);
      if (!ref) timer.unref();
    };
    try {
      // The rename into place is one inotify event: the agent goes on as soon as mscope is ready.
      watcher = watch(dirname(file), (_event, name) => {
        if (name === basename(file)) check();
      });
      watcher.on('error', poll);
      timer = setInterval(check, CONSUMER_CHECK_MS);
      if (!ref) {
        watcher.unref();
        timer.unref();
      }
    } catch {
      poll();
    }
    check();
  });
}

import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { MonitorSpec } from './protocol.js';
import { processAlive } from '../core/process-alive.js';

/** How often a held process asks whether the mscope that holds it is still there. */
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
  if (consumerPid > 0 && !existsSync(file) && existsSync(dirname(file))) await appears(file, consumerPid);
  return JSON.parse(readFileSync(file, 'utf8')) as MonitorSpec[];
}

function appears(file: string, consumerPid: number): Promise<void> {
  return new Promise((resolve) => {
    let watcher: FSWatcher | null = null;
    let timer: NodeJS.Timeout | null = null;
    const done = (): void => {
      if (timer !== null) clearInterval(timer);
      watcher?.close();
      resolve();
    };
    const check = (): void => {
      if (existsSync(file)) return done();
      // Held, this process is mscope's child: once mscope has exited it has another parent (a pid reused since cannot fool that).
      if (process.ppid !== consumerPid || !processAlive(consumerPid)) {
        process.stderr.write(`mscope: mscope (pid ${consumerPid}) ended before it released this process; the program did not run\n`);
        process.exit(1);
      }
    };
    /** Without inotify (the user's watches used up, or the watch failed), the file is looked for every few ms instead. */
    const poll = (): void => {
      watcher?.close();
      watcher = null;
      if (timer !== null) clearInterval(timer);
      timer = setInterval(check, POLL_MS);
    };
    try {
      // The rename into place is one inotify event: the program starts as soon as mscope is ready.
      watcher = watch(dirname(file), (_event, name) => {
        if (name === basename(file)) check();
      });
      watcher.on('error', poll);
      timer = setInterval(check, CONSUMER_CHECK_MS);
    } catch {
      poll();
    }
    check();
  });
}

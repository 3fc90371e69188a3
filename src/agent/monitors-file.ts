import { existsSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { MonitorSpec } from './protocol.js';
import { processAlive } from '../core/process-alive.js';

/** How often a held process asks whether the mscope that holds it is still there. */
const CONSUMER_CHECK_MS = 50;

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
    const check = (): void => {
      if (existsSync(file)) {
        done();
        return;
      }
      // Held, this process is mscope's child: once mscope has exited it has another parent (a pid reused since cannot fool that).
      if (process.ppid !== consumerPid || !processAlive(consumerPid)) {
        process.stderr.write(`mscope: mscope (pid ${consumerPid}) ended before it released this process; the program did not run\n`);
        process.exit(1);
      }
    };
    const timer = setInterval(check, CONSUMER_CHECK_MS);
    const done = (): void => {
      clearInterval(timer);
      watcher?.close();
      resolve();
    };
    // The rename into place is one inotify event: the program starts as soon as mscope is ready.
    watcher = watch(dirname(file), (_event, name) => {
      if (name === basename(file)) check();
    });
    check();
  });
}

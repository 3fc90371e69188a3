import { Worker, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import type * as ChildProcesses from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isTypeScript, tsxApiUrl, tsxLoaderUrl } from './monitor-ref.js';
import { builtin, internalEnv, internally, startOwnThread, threadEntryUrl } from '../../core/index.js';

/**
 * Worker entries are loaded through an eval bootstrap so that a TypeScript host (tests,
 * tsx) or a TypeScript monitor module can register tsx first: `--import tsx` is not
 * applied to a worker's entry on Node 20. The bootstrap also silences the worker's stdout
 * and stderr: piping them instead (`stdout: true`) keeps the application alive even
 * after `unref()` (seen on Node 20 and 24), and the monitor must never write to the app's.
 * With a HostPort signal it records the worker's exit for a synchronous drain (host-port.ts).
 */
const BOOT = `const { workerData } = require('node:worker_threads');
process.stdout.write = process.stderr.write = () => true;
const signal = workerData.signal;
if (signal) process.on('exit', (code) => { Atomics.store(signal, 1, code + 1); Atomics.add(signal, 0, 1); Atomics.notify(signal, 0); });
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})().catch((e) => process.nextTick(() => { throw e; }));`;

/** The URL of a sibling host module (see threadEntryUrl for source and built). */
export function hostUrl(name: string): URL {
  return threadEntryUrl(name, import.meta.url);
}

export interface HostData {
  readonly monitorUrl: string;
  readonly options: unknown;
  readonly [key: string]: unknown;
}

export interface WorkerOptions {
  /** A HostPort's remote end (transferred): the host talks over it and bumps `signal` after each message. */
  readonly port?: MessagePort;
  readonly signal?: Int32Array;
  readonly resourceLimits?: ResourceLimits;
}

/** Starts a host worker whose stdout/stderr never reach the application's. */
export function startWorker(entry: URL, data: HostData, options: WorkerOptions = {}): Worker {
  const needsTsx = isTypeScript(entry.href) || isTypeScript(data.monitorUrl);
  const { port, signal, resourceLimits } = options;
  const workerOptions = {
    env: internalEnv(),
    eval: true,
    workerData: { ...data, entry: entry.href, tsx: needsTsx ? tsxApiUrl() : null, port, signal },
    transferList: port === undefined ? [] : [port],
    ...(resourceLimits ? { resourceLimits } : {}),
  };
  const w = startOwnThread(() => new Worker(BOOT, workerOptions));
  w.unref();
  return w;
}

/** Starts a host child process; the caller sends `data` as its first message. */
export function startProcess(entry: URL, data: HostData, maxOldSpaceMb: number | undefined): ChildProcesses.ChildProcess {
  const needsTsx = isTypeScript(entry.href) || isTypeScript(data.monitorUrl);
  const execArgv = needsTsx ? ['--import', tsxLoaderUrl()] : [];
  if (maxOldSpaceMb !== undefined) execArgv.push(`--max-old-space-size=${maxOldSpaceMb}`);
  const child = internally(() =>
    builtin<typeof ChildProcesses>('node:child_process').fork(fileURLToPath(entry), [], {
      execArgv,
      env: internalEnv(),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    }),
  );
  child.unref();
  child.channel?.unref();
  return child;
}

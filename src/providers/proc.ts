import dc from 'node:diagnostics_channel';
import type { ChildProcess } from 'node:child_process';
import { threadId, type Worker } from 'node:worker_threads';
import { builtin, internalWork, nowNs, onProcess, type Probe } from '../core/index.js';
import type { ProcRecord } from './catalogue.js';
import { declare, emit, errorCode, HookGroup } from './hooks.js';
import { FunctionPatch, type AnyFunction } from './patch.js';
import { SignalWatch } from './signals.js';

/**
 * `proc:::exit|signal|uncaught|warning|worker-start|worker-exit|spawn|child-exit`. Each
 * probe installs one listener while enabled: `exit` and `warning` listeners on process,
 * `uncaughtExceptionMonitor` (which observes without handling), the `worker_threads` and
 * `child_process` channels (Node ≥ 20) plus `exit`/`spawn` listeners on each new worker
 * or child. `spawnSync`, `execSync` and `execFileSync` create no ChildProcess: they are
 * wrapped while spawn or child-exit is enabled. Threads and processes microScope starts
 * itself (under `internalWork`) are never reported.
 */
interface ProcProbes {
  exit: Probe;
  signal: Probe;
  uncaught: Probe;
  warning: Probe;
  workerStart: Probe;
  workerExit: Probe;
  spawn: Probe;
  childExit: Probe;
}

let probes: ProcProbes | null = null;

export function registerProc(): void {
  if (probes !== null) return;
  const p = (name: string): Probe => declare('proc', '', '', name, 'proc_t');
  probes = {
    exit: p('exit'),
    signal: p('signal'),
    uncaught: p('uncaught'),
    warning: p('warning'),
    workerStart: p('worker-start'),
    workerExit: p('worker-exit'),
    spawn: p('spawn'),
    childExit: p('child-exit'),
  };
  listen(
    probes.exit,
    () => void onProcess('exit', onExit),
    () => process.off('exit', onExit),
  );
  listen(
    probes.uncaught,
    () => void onProcess('uncaughtExceptionMonitor', onUncaught),
    () => process.off('uncaughtExceptionMonitor', onUncaught),
  );
  listen(
    probes.warning,
    () => void onProcess('warning', onWarning),
    () => process.off('warning', onWarning),
  );
  const signals = new SignalWatch(onSignal);
  listen(
    probes.signal,
    () => signals.start(),
    () => signals.stop(),
  );
  const workers = new HookGroup(
    () => dc.subscribe('worker_threads', onWorker),
    () => dc.unsubscribe('worker_threads', onWorker),
  );
  workers.add(probes.workerStart);
  workers.add(probes.workerExit);
  const api = (): Record<string, unknown> => builtin<Record<string, unknown>>('node:child_process');
  const syncSpawns = (['spawnSync', 'execFileSync', 'execSync'] as const).map(
    (key) => new FunctionPatch(api, key, (fn) => syncSpawnWrapper(key, fn)),
  );
  const children = new HookGroup(
    () => {
      dc.subscribe('child_process', onChild);
      for (const p of syncSpawns) p.install();
    },
    () => {
      dc.unsubscribe('child_process', onChild);
      for (const p of syncSpawns) p.uninstall();
    },
  );
  children.add(probes.spawn);
  children.add(probes.childExit);
}

function listen(probe: Probe, install: () => void, uninstall: () => void): void {
  new HookGroup(install, uninstall).add(probe);
}

function record(): ProcRecord {
  return { pid: process.pid, thread_id: threadId, code: 0, signal: '', command: '', args: [], error: '', message: '', origin: '' };
}

function onExit(code: number): void {
  const r = record();
  r.code = code;
  emit(probes!.exit, r);
}

function onSignal(signal: string): void {
  const r = record();
  r.signal = signal;
  emit(probes!.signal, r);
}

function onUncaught(error: unknown, origin: string): void {
  const r = record();
  r.error = errorCode(error);
  r.message = error instanceof Error ? error.message : String(error);
  r.origin = origin;
  emit(probes!.uncaught, r);
}

function onWarning(warning: Error & { code?: string }): void {
  const r = record();
  r.error = warning.code ?? warning.name;
  r.message = warning.message;
  emit(probes!.warning, r);
}

function onWorker(message: unknown): void {
  // Node 20's module-hooks thread and microScope's own workers start inside internal work.
  if (internalWork.depth !== 0) return;
  const { worker } = message as { worker: Worker };
  const ps = probes!;
  const r = record();
  r.thread_id = worker.threadId;
  if (ps.workerStart.enabled) emit(ps.workerStart, r);
  if (!ps.workerExit.enabled) return;
  worker.once('exit', (code: number) => {
    const e = record();
    e.thread_id = r.thread_id;
    e.code = code;
    if (ps.workerExit.enabled) emit(ps.workerExit, e);
  });
}

/** The channel announces the ChildProcess before it spawns; pid and command are known at `spawn`. */
function onChild(message: unknown): void {
  if (internalWork.depth !== 0) return;
  const child = (message as { process: ChildProcess }).process;
  const ps = probes!;
  if (ps.spawn.enabled) child.once('spawn', () => ps.spawn.enabled && emit(ps.spawn, childRecord(child)));
  if (ps.childExit.enabled) {
    child.once('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      const r = childRecord(child);
      r.code = code ?? -1;
      r.signal = signal ?? '';
      if (ps.childExit.enabled) emit(ps.childExit, r);
    });
  }
}

function childRecord(child: ChildProcess): ProcRecord {
  const r = record();
  r.pid = child.pid ?? -1;
  r.command = child.spawnfile ?? '';
  r.args = child.spawnargs.slice(1);
  return r;
}

type SyncSpawn = 'spawnSync' | 'execFileSync' | 'execSync';

interface SyncOutcome {
  pid?: number;
  status?: number | null;
  signal?: NodeJS.Signals | null;
  error?: unknown;
}

/**
 * A synchronous spawn blocks this thread until the child has exited, so spawn (stamped with
 * the time of the call) and child-exit both fire when it returns or throws. execSync and
 * execFileSync return only the output: a successful run's pid is not known (−1).
 */
function syncSpawnWrapper(kind: SyncSpawn, fn: AnyFunction): AnyFunction {
  return function (this: unknown, ...args: unknown[]): unknown {
    const ps = probes!;
    if (internalWork.depth !== 0 || !(ps.spawn.enabled || ps.childExit.enabled)) return Reflect.apply(fn, this, args);
    const t0 = nowNs();
    let value: unknown;
    try {
      value = Reflect.apply(fn, this, args);
    } catch (error) {
      syncSpawned(kind, args, t0, (error ?? {}) as SyncOutcome);
      throw error;
    }
    syncSpawned(kind, args, t0, kind === 'spawnSync' ? (value as SyncOutcome) : { status: 0 });
    return value;
  };
}

function syncSpawned(kind: SyncSpawn, args: readonly unknown[], t0: number, outcome: SyncOutcome): void {
  // A program that could not be started (ENOENT) never spawned, as with spawn().
  if (outcome.error !== undefined && !(typeof outcome.pid === 'number' && outcome.pid > 0)) return;
  const ps = probes!;
  const r = syncCommand(kind, args);
  r.pid = typeof outcome.pid === 'number' && outcome.pid > 0 ? outcome.pid : -1;
  if (ps.spawn.enabled) emit(ps.spawn, { ...r }, t0);
  if (!ps.childExit.enabled) return;
  r.code = typeof outcome.status === 'number' ? outcome.status : -1;
  r.signal = outcome.signal ?? '';
  emit(ps.childExit, r);
}

/** The file and arguments run, as a ChildProcess's spawnfile and spawnargs would say. */
function syncCommand(kind: SyncSpawn, args: readonly unknown[]): ProcRecord {
  const r = record();
  if (kind === 'execSync') return shellCommand(r, String(args[0]), args[1]);
  const file = String(args[0]);
  const list = Array.isArray(args[1]) ? (args[1] as unknown[]).map(String) : [];
  const options = Array.isArray(args[1]) ? args[2] : args[1];
  const shell = (options as { shell?: unknown } | null | undefined)?.shell;
  if (shell !== undefined && shell !== false) return shellCommand(r, [file, ...list].join(' '), options);
  r.command = file;
  r.args = list;
  return r;
}

function shellCommand(r: ProcRecord, command: string, options: unknown): ProcRecord {
  const shell = (options as { shell?: unknown } | null | undefined)?.shell;
  r.command = typeof shell === 'string' ? shell : '/bin/sh';
  r.args = ['-c', command];
  return r;
}

import dc from 'node:diagnostics_channel';
import type { ChildProcess } from 'node:child_process';
import { threadId, type Worker } from 'node:worker_threads';
import type { Probe } from '../core/index.js';
import type { ProcRecord } from './catalogue.js';
import { declare, emit, errorCode, HookGroup } from './hooks.js';
import { SignalWatch } from './signals.js';

/**
 * `proc:::exit|signal|uncaught|warning|worker-start|worker-exit|spawn|child-exit`. Each
 * probe installs one listener while enabled: `exit` and `warning` listeners on process,
 * `uncaughtExceptionMonitor` (which observes without handling), the `worker_threads` and
 * `child_process` channels (Node ≥ 20) plus `exit`/`spawn` listeners on each new worker
 * or child. `spawnSync`/`execSync` create no ChildProcess and are not seen.
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
    () => process.on('exit', onExit),
    () => process.off('exit', onExit),
  );
  listen(
    probes.uncaught,
    () => process.on('uncaughtExceptionMonitor', onUncaught),
    () => process.off('uncaughtExceptionMonitor', onUncaught),
  );
  listen(
    probes.warning,
    () => process.on('warning', onWarning),
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
  const children = new HookGroup(
    () => dc.subscribe('child_process', onChild),
    () => dc.unsubscribe('child_process', onChild),
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

import { createHook, type AsyncHook } from 'node:async_hooks';
import { currentActivity, nowNs, registry, type Probe } from '../core/index.js';
import type { TaskRecord } from './catalogue.js';
import { declare, emit, HookGroup } from './hooks.js';

/**
 * `task:TYPE::create|start|done` for async work by resource type (Timeout, Immediate,
 * TickObject, PROMISE, FSREQCALLBACK, TCPWRAP, …), from an async_hooks hook that exists only
 * while a task probe is enabled: async_hooks costs hundreds of ns per await (see
 * shared/reference/node-ecosystem.md), so it is never installed otherwise. Types not listed
 * below get their probes when first seen. `queue_delay_ns` is the time from create (or
 * from the previous done, for repeating work) to start; `run_ns` from start to done.
 */
const KNOWN_TYPES = [
  'Timeout',
  'Immediate',
  'TickObject',
  'PROMISE',
  'Microtask',
  'FSREQCALLBACK',
  'FSREQPROMISE',
  'FILEHANDLE',
  'FILEHANDLECLOSEREQ',
  'STATWATCHER',
  'TCPWRAP',
  'TCPSERVERWRAP',
  'TCPCONNECTWRAP',
  'PIPEWRAP',
  'PIPECONNECTWRAP',
  'WRITEWRAP',
  'SHUTDOWNWRAP',
  'UDPWRAP',
  'UDPSENDWRAP',
  'TTYWRAP',
  'GETADDRINFOREQWRAP',
  'GETNAMEINFOREQWRAP',
  'QUERYWRAP',
  'HTTPINCOMINGMESSAGE',
  'HTTPCLIENTREQUEST',
  'ZLIB',
  'RANDOMBYTESREQUEST',
  'PBKDF2REQUEST',
  'SCRYPTREQUEST',
  'HASHREQUEST',
  'CIPHERREQUEST',
  'SIGNREQUEST',
  'KEYGENREQUEST',
  'PROCESSWRAP',
  'SIGNALWRAP',
  'WORKER',
  'MESSAGEPORT',
];

interface TypeProbes {
  type: string;
  create: Probe;
  start: Probe;
  done: Probe;
}

interface TaskInfo {
  probes: TypeProbes;
  record: TaskRecord;
  /** When the task was last queued (create, or the previous done), then when it started. */
  mark: number;
}

const byType = new Map<string, TypeProbes>();
const tasks = new Map<number, TaskInfo>();
let group: HookGroup | null = null;
let hook: AsyncHook | null = null;
/** A monitor that creates async work must not re-enter the hook. */
let inHook = false;

export function registerTask(): void {
  if (group !== null) return;
  group = new HookGroup(install, uninstall);
  for (const t of KNOWN_TYPES) probesFor(t);
}

export function taskHookInstalled(): boolean {
  return hook !== null;
}

function probesFor(type: string): TypeProbes {
  let p = byType.get(type);
  if (p === undefined) {
    p = { type, create: declareTask(type, 'create'), start: declareTask(type, 'start'), done: declareTask(type, 'done') };
    byType.set(type, p);
  }
  return p;
}

function declareTask(type: string, name: string): Probe {
  const probe = registry.lookup('task', type, '', name) ?? declare('task', type, '', name, 'task_t');
  return group!.add(probe);
}

function install(): void {
  hook = createHook({ init, before, after, destroy }).enable();
}

function uninstall(): void {
  hook?.disable();
  hook = null;
  tasks.clear();
}

function init(asyncId: number, type: string, triggerAsyncId: number): void {
  if (inHook) return;
  inHook = true;
  const probes = probesFor(type);
  if (probes.create.enabled || probes.start.enabled || probes.done.enabled) {
    const record: TaskRecord = {
      type,
      task_id: asyncId,
      trigger_id: triggerAsyncId,
      activity: currentActivity(),
      queue_delay_ns: 0,
      run_ns: 0,
    };
    tasks.set(asyncId, { probes, record, mark: nowNs() });
    if (probes.create.enabled) emit(probes.create, { ...record });
  }
  inHook = false;
}

function before(asyncId: number): void {
  const t = tasks.get(asyncId);
  if (t === undefined || inHook) return;
  inHook = true;
  const now = nowNs();
  if (t.probes.start.enabled) emit(t.probes.start, { ...t.record, queue_delay_ns: now - t.mark });
  t.mark = now;
  inHook = false;
}

function after(asyncId: number): void {
  const t = tasks.get(asyncId);
  if (t === undefined || inHook) return;
  inHook = true;
  const now = nowNs();
  if (t.probes.done.enabled) emit(t.probes.done, { ...t.record, run_ns: now - t.mark });
  t.mark = now;
  inHook = false;
}

function destroy(asyncId: number): void {
  tasks.delete(asyncId);
}

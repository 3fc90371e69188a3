import { getEnvironmentData, isMainThread, setEnvironmentData, threadId, Worker } from 'node:worker_threads';
import { syncBuiltinESMExports } from 'node:module';
import { builtin } from './builtin.js';
import { internally } from './internal.js';

/**
 * Node numbers threads from one counter per process, so each thread microScope starts (a
 * monitor host, the loop watchdog, Node 20's module-hooks thread) would shift the id of every
 * worker the program starts after it. The ids of ours are kept in one shared table that every
 * thread inherits (environment data), and the program is shown the id it would have had
 * without them: `Worker#threadId`, `worker_threads.threadId` inside a worker, D's `tid`.
 */
const TABLE_KEY = 'microscope:own-thread-ids';
/** Slots after the count; a process that starts more of ours than this shows the later ones' shift. */
const CAPACITY = 1023;

/** This thread's id as Node gave it, captured before the view replaces the export. */
const realThreadId: number = threadId;
type IdGetter = (this: Worker) => number;
let nodeGetter: IdGetter | null = null;

/** Node's getter of `Worker#threadId`, taken at first use: before the view replaces it. */
function nodeThreadIdGetter(): IdGetter {
  return (nodeGetter ??= Object.getOwnPropertyDescriptor(Worker.prototype, 'threadId')!.get as IdGetter);
}

/** The id Node gave `worker`. */
function nodeIdOf(worker: Worker): number {
  return nodeThreadIdGetter().call(worker);
}

let table: Int32Array | null = null;

/** [count, id, id, ...], shared by every thread of the process that was started after it was made. */
function ownIds(): Int32Array {
  if (table !== null) return table;
  const inherited: unknown = getEnvironmentData(TABLE_KEY);
  let buffer: SharedArrayBuffer;
  if (inherited instanceof SharedArrayBuffer) buffer = inherited;
  else {
    buffer = new SharedArrayBuffer(4 * (CAPACITY + 1));
    setEnvironmentData(TABLE_KEY, buffer);
  }
  table = new Int32Array(buffer);
  return table;
}

/** Notes `id` as one of microScope's threads (once, however often it is said). */
export function recordOwnThread(id: number): void {
  if (id <= 0 || isOwnThread(id)) return;
  const ids = ownIds();
  const slot = Atomics.add(ids, 0, 1);
  if (slot < CAPACITY) Atomics.store(ids, slot + 1, id);
}

/** Whether Node numbered one of microScope's threads `id`. */
function isOwnThread(id: number): boolean {
  const ids = ownIds();
  const n = Math.min(Atomics.load(ids, 0), CAPACITY);
  for (let i = 1; i <= n; i++) if (Atomics.load(ids, i) === id) return true;
  return false;
}

/** The id the program would see for the thread Node numbered `id`: less one for each of ours numbered before it. */
export function visibleThreadId(id: number): number {
  if (id <= 0) return id;
  const ids = ownIds();
  const n = Math.min(Atomics.load(ids, 0), CAPACITY);
  let before = 0;
  for (let i = 1; i <= n; i++) if (Atomics.load(ids, i) < id) before++;
  return id - before;
}

/**
 * Starts one of microScope's threads (`start` constructs the Worker): as internal work, with its
 * id recorded, and without the `'worker'` event Node would emit for it on `process`.
 */
export function startOwnThread(start: () => Worker): Worker {
  constructingOwn++;
  let worker: Worker;
  try {
    worker = internally(start);
  } finally {
    constructingOwn--;
  }
  recordOwnThread(nodeIdOf(worker));
  hideWorkerEvent(worker);
  return worker;
}

let viewInstalled = false;
/** Inside `startOwnThread`'s constructor call: a worker whose id is read now is ours. */
let constructingOwn = 0;
/**
 * Node keys its own records of each worker by `worker.threadId` (worker/messaging.js registers
 * and removes a port under it), so ours must not share a key with a program's worker once the
 * program's are renumbered: they read as their own id plus this, which no program id reaches.
 */
const OWN_ID_OFFSET = 2 ** 30;

/**
 * Shows this thread's program the ids it would have had untraced: once per thread, before any
 * of its code runs. The main thread makes the table, so every thread started later shares it.
 */
export function installThreadIdView(): void {
  if (viewInstalled) return;
  viewInstalled = true;
  ownIds();
  nodeThreadIdGetter();
  // Defined as an accessor of an object literal: named `get threadId`, as Node's is.
  const view = Object.getOwnPropertyDescriptor(
    {
      get threadId(): number {
        const id = nodeIdOf(this as unknown as Worker);
        if (id <= 0) return id;
        return constructingOwn > 0 || isOwnThread(id) ? id + OWN_ID_OFFSET : visibleThreadId(id);
      },
    },
    'threadId',
  )!;
  Object.defineProperty(Worker.prototype, 'threadId', { get: view.get, enumerable: false, configurable: true });
  if (!isMainThread) {
    // The module's exports object: the namespace's `threadId` follows it at the sync.
    builtin<{ threadId: number }>('node:worker_threads').threadId = visibleThreadId(realThreadId);
    syncBuiltinESMExports();
  }
}

/** Workers whose `'worker'` event is still queued (Node emits it on the next tick after the constructor). */
const hidden = new WeakSet<Worker>();
let pending = 0;

type Emit = (this: NodeJS.Process, event: string | symbol, ...args: unknown[]) => boolean;
/** What `process.emit` was before ours, and whether it was the program's own property. */
let previous: { emit: Emit; own: boolean } | null = null;

/** Emitted through `process.emit` to learn whether ours is still in a chain of wrappers. */
const CHAIN_CHECK = Symbol('microscope:emit-chain');
let chainChecked = false;

function emitHidingOwn(this: NodeJS.Process, event: string | symbol, ...args: unknown[]): boolean {
  if (event === 'worker' && hidden.has(args[0] as Worker)) return false;
  if (event === CHAIN_CHECK) chainChecked = true;
  return (previous?.emit ?? (Object.getPrototypeOf(process) as { emit: Emit }).emit).apply(this, [event, ...args]);
}

function hidingInPlace(): boolean {
  if (previous === null) return false;
  if (process.emit === (emitHidingOwn as unknown)) return true;
  chainChecked = false;
  (process.emit as unknown as Emit).call(process, CHAIN_CHECK);
  return chainChecked;
}

/**
 * Node queues `process.emit('worker', w)` in the constructor: `process.emit` filters it out
 * until a tick queued after it has run, then is what it was again (unless a library has
 * wrapped ours meanwhile: ours then stays under theirs, passing every other event on).
 */
function hideWorkerEvent(worker: Worker): void {
  hidden.add(worker);
  pending++;
  // Installed already (since the last hide, or for good under a library's wrapper) unless that wrapper has gone.
  if (!hidingInPlace()) {
    previous = { emit: process.emit as unknown as Emit, own: Object.hasOwn(process, 'emit') };
    (process as unknown as { emit: Emit }).emit = emitHidingOwn;
  }
  process.nextTick(() => {
    hidden.delete(worker);
    if (--pending !== 0 || process.emit !== (emitHidingOwn as unknown) || previous === null) return;
    if (previous.own) (process as unknown as { emit: Emit }).emit = previous.emit;
    else delete (process as { emit?: unknown }).emit;
    previous = null;
  });
}

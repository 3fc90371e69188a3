import type { BindingKind, ProbeEvent, ProbeHandler } from '../core/index.js';
// Not core's index: the control socket and link load this in every traced process.
export { BINDING_KINDS, unknownBinding, type BindingKind } from '../core/bindings.js';
import type { MonitorRef } from './remote/monitor-ref.js';

/** Monitor code: called once per event of every probe its link matches. */
export type Monitor = (event: ProbeEvent) => void;

export interface LinkStats {
  /** Events the probe sites handed to the binding; for shm and message `events - drops` reached the monitor. */
  events: number;
  /** Events the monitor threw on. */
  faults: number;
  /** Events lost before the monitor saw them (full ring, dead worker). */
  drops: number;
  /** Batches posted to the monitor, where the binding posts them (message: one a `postMs` after an event, or when full). */
  batches?: number;
}

/** What a link's events cost the application by the binding that carried them: events, and the batches they went in. */
export interface BindingUse {
  events: number;
  batches: number;
}

/** How one link delivers events; chosen when the link is made and swappable by relink. */
export interface Binding extends ProbeHandler {
  readonly kind: BindingKind;
  readonly stats: LinkStats;
  /**
   * Stops delivery; events already handed over are processed (and the remote monitor
   * flushed) before the returned promise resolves. The direct binding returns nothing.
   */
  close(): void | Promise<void>;
  /**
   * shm and message: delivers what was handed over and the monitor's last flush before
   * returning, blocking this thread while the monitor makes progress (for `exit` handlers,
   * where no later turn comes). What cannot be delivered stays counted as in flight.
   */
  drainSync?(): void;
  /**
   * shm and message: resolves once the remote monitor has loaded and says whether it reads
   * timestamps (until then events queue, and probe sites read the clock), or once it is gone.
   */
  ready?(): Promise<void>;
}

/** Tuning of the shm and message bindings; every field has a default. */
export interface BindingSettings {
  /** Bytes of a string argument copied inline (UTF-8, cut at a character boundary); default 256. */
  strsize?: number;
  /** shm: ring data size in bytes; default 4 MiB. */
  ringBytes?: number;
  /** shm and message: how often the remote monitor is flushed, ms; default 100. */
  flushMs?: number;
  /** shm and message: a monitor silent this many ms on a batch, a close or a drain is hung; default 1000; Infinity: never. */
  deadlineMs?: number;
  /** message: 'worker' (default) or 'process' (child_process.fork + IPC). */
  isolate?: 'worker' | 'process';
  /** shm and message: heap limit of the monitor's worker (or process), MB; default 64. */
  maxHeapMb?: number;
  /** message: restarts allowed before the link gives up (its events then count as drops); default 5. */
  maxRestarts?: number;
  /** message: ms a batch stays open for later events before it is posted (unless full); default 5; 0: every turn of the event loop. */
  postMs?: number;
  /** message: events posted and not yet processed before new events are dropped; default 200 000. */
  maxQueued?: number;
  /** message: bytes of records and object copies posted and not yet processed before new events are dropped; default 16 MiB. */
  maxQueuedBytes?: number;
}

/** What a binding factory receives beside the in-thread monitor. */
export interface BindingContext {
  readonly linkId: number;
  readonly description: string;
  /** The module that runs the monitor off-thread (shm and message). */
  readonly remote: MonitorRef | undefined;
  readonly settings: BindingSettings;
  /** What the monitor declared at link time (LinkOptions.keepsEvents, readsArgs, readsThis, readsEvent); the direct binding passes it on to the probe. */
  readonly keepsEvents: boolean;
  readonly readsArgs: boolean;
  readonly readsThis: boolean;
  readonly readsEvent: boolean;
  /** Called with each flush result of the remote monitor, in order. */
  readonly onFlush: (result: unknown) => void;
}

export interface FaultReport {
  readonly linkId: number;
  readonly description: string;
  readonly error: unknown;
  readonly faults: number;
  /** What failed: a throw (default), a hang past the deadline, memory, a crash, a failed load. */
  readonly kind?: 'throw' | 'hang' | 'memory' | 'crash' | 'load';
  /** For the message binding: restarts so far, and whether it gave up. */
  readonly restarts?: number;
  readonly gaveUp?: boolean;
}

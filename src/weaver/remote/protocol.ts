/** Messages between the application side of a binding and its remote host. */

export type ShmToHost = { type: 'close'; link: number; seq: number } | { type: 'flush'; seq: number };

/** `timestamps`: the monitor reads `timestamp` or `elapsed` (MonitorSet#readsTimestamps). */
export type ShmFromHost =
  | { type: 'ready'; timestamps: boolean }
  | { type: 'load-error'; error: string }
  /** `faults`: the link's total so far. */
  | { type: 'fault'; link: number; faults: number; error: string }
  /** `events`: the link's events the monitor has handled in all, which this flush covers. */
  | { type: 'flush'; link: number; result: unknown; events: number }
  | { type: 'closed'; link: number; seq: number; result: unknown; events: number }
  | { type: 'flushed'; seq: number }
  | HostCrash;

/**
 * Sent by a host from `uncaughtExceptionMonitor`, before an uncaught throw ends it: the
 * application reads it even from its exit drain, where the Worker's `error` event never comes.
 */
export type HostCrash = { type: 'crash'; error: string };

/** One batch of records in the layout of core/record.ts, transferred, plus copied objects. */
export interface Batch {
  readonly seq: number;
  readonly buffer: ArrayBuffer;
  readonly words: number;
  readonly events: number;
  readonly objects: unknown[];
}

export type MessageToHost =
  | { type: 'init'; monitorUrl: string; options: unknown; flushMs: number }
  | { type: 'batch'; batch: Batch }
  | { type: 'close'; seq: number };

export type MessageFromHost =
  | { type: 'ready'; timestamps: boolean }
  | { type: 'load-error'; error: string }
  /** Batches up to `through` are folded; `result` is the monitor's flush since the last one. */
  | { type: 'flush'; through: number; result: unknown }
  /** `buffer`: the acknowledged batch's buffer, handed back for reuse (worker hosts, which can transfer it). */
  | { type: 'ack'; through: number; buffer?: ArrayBuffer }
  | { type: 'fault'; faults: number; error: string }
  | { type: 'closed'; seq: number; through: number; result: unknown }
  | HostCrash;

import { threadId } from 'node:worker_threads';
import { nowNs } from './clock.js';
import type { Probe } from './probe.js';

/** Returns the current activity id; accounting replaces it, 0 means "none". */
let activitySource: () => number = () => 0;

export function setActivitySource(source: () => number): void {
  activitySource = source;
}

export function currentActivity(): number {
  return activitySource();
}

const NO_ARGS: readonly unknown[] = Object.freeze([]);

/**
 * What a monitor receives. One shape for every probe so that monitors stay monomorphic.
 * `timestamp` is read from the clock the first time anyone asks during the firing, so a
 * monitor that only counts never pays for the clock; entry events of calls whose return
 * is also traced read it eagerly so that `entry.timestamp` is the real start time.
 *
 * For the shared-memory and message bindings the same fields are copied into a
 * fixed-layout record (see core/record.ts): probe id, timestamp, tid, activity, args.
 */
export class ProbeEvent {
  retval: unknown = undefined;
  error: unknown = undefined;
  /** For return and error events: the entry event of the same call, or null. */
  entry: ProbeEvent | null = null;
  readonly tid: number = threadId;
  activity: number;
  private ts = 0;

  constructor(
    readonly probe: Probe,
    readonly args: readonly unknown[] = NO_ARGS,
    readonly thisArg: unknown = undefined,
  ) {
    this.activity = activitySource();
  }

  get timestamp(): number {
    return this.ts !== 0 ? this.ts : (this.ts = nowNs());
  }

  set timestamp(ns: number) {
    this.ts = ns;
  }

  /** Nanoseconds since the entry of the same call; 0 when unknown. */
  get elapsed(): number {
    return this.entry === null ? 0 : this.timestamp - this.entry.timestamp;
  }
}

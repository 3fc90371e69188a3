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

/**
 * How many linked programs read `vtime`: a traced call reads the CPU clock at its entry and at
 * each `await`/`yield` only while one does (a read costs about 0.5 µs).
 */
export const vtimeUsers = { count: 0 };

/** The args of an event no handler reads (every one declared `readsArgs: false`), and of probes without arguments. */
export const NO_ARGS: readonly unknown[] = Object.freeze([]);

type Renewable = { -readonly [K in 'args' | 'thisArg']: ProbeEvent[K] };

/**
 * What a monitor receives. One shape for every probe so that monitors stay monomorphic.
 * `timestamp` is read from the clock the first time anyone asks during the firing, so a
 * monitor that only counts never pays for the clock; entry events of calls whose return
 * is also traced read it eagerly so that `entry.timestamp` is the real start time.
 *
 * For the shared-memory and message bindings the same fields are copied into a
 * fixed-layout record (see core/record.ts): probe id, timestamp, tid, activity, args.
 *
 * While no handler of a probe keeps events (`ProbeHandler.keepsEvents`), its firings reuse
 * one event (`Probe.spare`, `renew`): an event is then valid during its delivery only.
 */
export class ProbeEvent {
  retval: unknown = undefined;
  error: unknown = undefined;
  /** For return and error events: the entry event of the same call, or null. */
  entry: ProbeEvent | null = null;
  readonly tid: number = threadId;
  activity: number;
  private ts = 0;
  /**
   * On the entry event of a traced call (modules/sites.ts): CPU ns of the call's finished
   * segments (entry or resume to `await`, `yield` or exit), and the CPU clock at the start of
   * the running one, -1 while suspended, 0 when vtime is not measured.
   */
  vsum = 0;
  vstart = 0;
  /** On the entry event of a traced call: it has not returned or thrown yet. */
  open = false;
  /** On the entry event of a traced call: its site may reuse it once the call ends (modules/sites.ts). */
  reusable = false;

  constructor(
    readonly probe: Probe,
    readonly args: readonly unknown[] = NO_ARGS,
    readonly thisArg: unknown = undefined,
  ) {
    this.activity = activitySource();
  }

  /**
   * Makes a probe's spare event the event of a new firing, as the constructor would. A spare
   * is never a call's token, so its token fields keep their initial values (see `reopen`).
   */
  renew(args: readonly unknown[], thisArg: unknown): void {
    const self = this as Renewable;
    self.args = args;
    self.thisArg = thisArg;
    this.activity = activitySource();
    this.ts = 0;
  }

  /** Makes an ended call's token the entry event of a new call, as the constructor would. */
  reopen(args: readonly unknown[], thisArg: unknown): void {
    this.renew(args, thisArg);
    this.vsum = 0;
    this.vstart = 0;
  }

  /**
   * Drops the program's values from a reused event between firings: they stay collectable, as
   * untraced. `retval`, `error` and `entry` are set only on return and error events, whose
   * firing clears them (core/probe.ts fireExit).
   */
  forget(): void {
    const self = this as Renewable;
    self.args = NO_ARGS;
    self.thisArg = undefined;
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

  /** On return and error events: the call's CPU ns, without the time it was suspended at `await` or `yield`. */
  get vtime(): number {
    return this.entry === null ? 0 : this.entry.vsum;
  }

  /** On `fn`/`node` probes: the calls of the function in flight, this one included (0 while its return is not traced). */
  get concurrency(): number {
    return (this.entry ?? this).probe.inflight;
  }
}

import type { ProbeName } from './description.js';
import { NO_ARGS, ProbeEvent } from './event.js';

/** Receives the events of one probe; the weaver installs one per linked binding. */
export interface ProbeHandler {
  deliver(event: ProbeEvent): void;
  /**
   * false: the handler keeps no reference to an event once `deliver` returns and does not tell
   * firings apart by the event's identity, so the site may hand it the same object each time.
   * Anything else: it may keep events, and every firing gets a new one.
   */
  readonly keepsEvents?: boolean;
  /** false: the handler never reads `args`, and the site need not gather them. */
  readonly readsArgs?: boolean;
  /**
   * false: the handler reads nothing of an event but its `probe` (a D clause that only counts
   * by probe name), so every firing may hand it one fixed event without filling it in.
   */
  readonly readsEvent?: boolean;
}

/** Declared argument of a probe, for the catalogue and the script checker. */
export interface ProbeArg {
  readonly name: string;
  readonly type: string;
  /** For a record argument (a stable provider's `args[0]`): its fields, by name and type. */
  readonly fields?: readonly ProbeArg[];
}

/** Called when a probe's first handler arrives or its last one leaves. */
export type ToggleListener = (probe: Probe, enabled: boolean) => void;

const NO_HANDLERS: readonly ProbeHandler[] = Object.freeze([]);
const NO_LISTENERS: readonly ToggleListener[] = Object.freeze([]);

/**
 * Counts every change of any probe's handlers: what a site derives from its probes' handlers
 * (modules/sites.ts FunctionSite) holds while the count is the one it derived it at.
 */
export const handlerChanges = { count: 0 };

/**
 * A probe site. While nothing is linked, `handlers` is empty and `enabled` false: probe
 * sites test `enabled` (a field load) and do nothing else.
 */
/**
 * The dtrace provider's probes have DTrace's ids (BEGIN 1, END 2, ERROR 3, as `dtrace -l`
 * lists them); every other probe's id in a process comes after them (ProbeRegistry).
 */
export const DTRACE_PROBE_IDS = { BEGIN: 1, END: 2, ERROR: 3 } as const;
export const FIRST_PROBE_ID = 4;

export class Probe implements ProbeName {
  handlers: readonly ProbeHandler[] = NO_HANDLERS;
  enabled = false;
  /** For an `fn`/`node` entry probe: calls of its function in flight while its return or error probe is traced. */
  inflight = 0;
  /** Handlers that may keep an event past their `deliver`: while there are none, a firing may reuse `spare`. */
  keepers = 0;
  /** Some handler reads `args`. */
  readsArgs = false;
  /**
   * While every handler reads only an event's probe (`readsEvent: false`): the one event all
   * firings hand over, never filled in; else null.
   */
  fixed: ProbeEvent | null = null;
  /**
   * The event this probe's firings reuse while every handler only borrows it; null while a
   * handler may keep events, or while a firing holds it (a firing inside it gets a new one).
   */
  spare: ProbeEvent | null = null;
  private toggleListeners: readonly ToggleListener[] = NO_LISTENERS;

  constructor(
    readonly id: number,
    readonly provider: string,
    readonly module: string,
    readonly func: string,
    readonly name: string,
    readonly args: readonly ProbeArg[] = [],
  ) {}

  /**
   * Adds a listener the weaver calls when the first handler arrives or the last one leaves,
   * after the listeners added before it. Every site sharing this probe's name adds its own.
   */
  onToggle(listener: ToggleListener): void {
    this.toggleListeners = [...this.toggleListeners, listener];
  }

  setHandlers(handlers: readonly ProbeHandler[]): void {
    const was = this.enabled;
    this.handlers = handlers.length === 0 ? NO_HANDLERS : handlers;
    this.enabled = handlers.length !== 0;
    let keepers = 0;
    let readsArgs = false;
    let readsEvent = !this.enabled;
    for (let i = 0; i < handlers.length; i++) {
      if (handlers[i]!.keepsEvents !== false) keepers++;
      if (handlers[i]!.readsArgs !== false) readsArgs = true;
      if (handlers[i]!.readsEvent !== false) readsEvent = true;
    }
    this.keepers = keepers;
    this.readsArgs = readsArgs;
    this.fixed = readsEvent ? null : (this.fixed ?? new ProbeEvent(this));
    // A spare held by a firing in progress comes back through fireEvent, which checks keepers again.
    if (keepers !== 0 || !this.enabled || this.fixed !== null) this.spare = null;
    else if (this.spare === null) this.spare = new ProbeEvent(this);
    // Counted once every field a site derives from (keepers, readsArgs, enabled, fixed) is set.
    handlerChanges.count++;
    if (was === this.enabled) return;
    const ls = this.toggleListeners;
    for (let i = 0; i < ls.length; i++) ls[i]!(this, this.enabled);
  }
}

/** Delivers an event to every handler of its probe, in link order. */
export function fireProbe(probe: Probe, event: ProbeEvent): void {
  const hs = probe.handlers;
  for (let i = 0; i < hs.length; i++) hs[i]!.deliver(event);
}

/**
 * Fires one event of `probe` with these arguments: its spare when every handler only borrows
 * events and no firing holds the spare, else a new event. `args` are dropped when no handler
 * reads them (a call's own arguments array is then never built, once V8 inlines the site).
 */
export function fireEvent(probe: Probe, args: readonly unknown[], thisArg: unknown): void {
  const fixed = probe.fixed;
  if (fixed !== null) {
    fireProbe(probe, fixed);
    return;
  }
  // `=== true`: V8 does not know these fields hold booleans, and tests a bare one as any value.
  const a = probe.readsArgs === true ? gathered(args) : NO_ARGS;
  const spare = probe.spare;
  if (spare === null) {
    fireProbe(probe, new ProbeEvent(probe, a, thisArg));
    return;
  }
  probe.spare = null;
  spare.renew(a, thisArg);
  fireProbe(probe, spare);
  spare.forget();
  giveBack(probe, spare);
}

/**
 * Fires a provider's event of `probe` as fireEvent does (its fixed event, its spare, `args` only
 * when read); `ts` (ns, core clock) and `activity` are the provider's own when it knows them,
 * 0 and -1 when the firing reads them as any other does. Apart from fireEvent, the call sites'
 * path: with these two parameters there, `work` with a counting monitor that keeps events ran
 * 117.3 → 123.4 ns a call (bench `calls`).
 */
export function fireProvided(probe: Probe, args: readonly unknown[], ts: number, activity: number): void {
  const fixed = probe.fixed;
  if (fixed !== null) {
    fireProbe(probe, fixed);
    return;
  }
  const a = probe.readsArgs === true ? gathered(args) : NO_ARGS;
  const spare = probe.spare;
  const ev = spare ?? new ProbeEvent(probe, a);
  if (spare !== null) {
    probe.spare = null;
    spare.renew(a, undefined);
  }
  if (ts !== 0) ev.timestamp = ts;
  if (activity >= 0) ev.activity = activity;
  fireProbe(probe, ev);
  if (spare === null) return;
  spare.forget();
  giveBack(probe, spare);
}

/** Fires `probe`, a return or error probe, for the call whose entry event is `entry`, as fireEvent does. */
export function fireExit(probe: Probe, entry: ProbeEvent, retval: unknown, error: unknown): void {
  const fixed = probe.fixed;
  if (fixed !== null) {
    fireProbe(probe, fixed);
    return;
  }
  const spare = probe.spare;
  const ev = spare ?? new ProbeEvent(probe, entry.args, entry.thisArg);
  if (spare !== null) {
    probe.spare = null;
    spare.renew(entry.args, entry.thisArg);
  }
  ev.retval = retval;
  ev.error = error;
  ev.entry = entry;
  fireProbe(probe, ev);
  if (spare === null) return;
  spare.forget();
  spare.retval = undefined;
  spare.error = undefined;
  spare.entry = null;
  giveBack(probe, spare);
}

/** A handler linked during the firing may keep events: the spare then stays out. */
function giveBack(probe: Probe, spare: ProbeEvent): void {
  if (probe.keepers === 0 && probe.enabled === true) probe.spare = spare;
}

/**
 * `args`, through a call: V8 turns a call it never saw run into a deoptimization, so while no
 * handler reads args the array a site passes is used by nothing else and is never allocated.
 * A plain `? args :` would keep it alive (V8 has no feedback on which way a branch goes).
 */
export function gathered(args: readonly unknown[]): readonly unknown[] {
  return args;
}

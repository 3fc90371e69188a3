import type { ProbeName } from './description.js';
import type { ProbeEvent } from './event.js';

/** Receives the events of one probe; the weaver installs one per linked binding. */
export interface ProbeHandler {
  deliver(event: ProbeEvent): void;
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

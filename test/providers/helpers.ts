import dc from 'node:diagnostics_channel';
import { ProbeDescription, type ProbeEvent } from '../../src/core/index.js';
import { link, type LinkHandle } from '../../src/weaver/index.js';
import { ensureProbes, registerProviders } from '../../src/providers/index.js';

registerProviders();

export interface Capture<T> {
  readonly handle: LinkHandle;
  readonly events: ProbeEvent[];
  /** `args[0]` of each event, in order. */
  records(): T[];
  /** Names (`module:name`) of the probes that fired, in order. */
  names(): string[];
  unlink(): void;
}

/** Links a monitor that keeps every event of `description`. */
export function capture<T = Record<string, unknown>>(description: string): Capture<T> {
  const events: ProbeEvent[] = [];
  // What the lead's link() will do: create open-ended probes (dc channels) first.
  const d = ProbeDescription.parse(description);
  ensureProbes(d);
  const handle = link(d, (e) => {
    events.push(e);
  });
  return {
    handle,
    events,
    records: () => events.map((e) => e.args[0] as T),
    names: () => events.map((e) => `${e.probe.module}:${e.probe.name}`),
    unlink: () => handle.unlink(),
  };
}

export function hasSubscribers(channel: string): boolean {
  return dc.hasSubscribers(channel);
}

/** Resolves on the next turn of the event loop after pending I/O callbacks. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Waits until `cond()` holds, giving the loop up to `turns` timer turns; never measures time. */
export async function until(cond: () => boolean, turns = 200): Promise<void> {
  for (let i = 0; i < turns && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
}

import assert from 'node:assert/strict';
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
  const violations: string[] = [];
  const handle = link(d, (e) => {
    events.push(e);
    const bad = checkRecord(e);
    if (bad !== '') violations.push(bad);
  });
  return {
    handle,
    events,
    records: () => events.map((e) => e.args[0] as T),
    names: () => events.map((e) => `${e.probe.module}:${e.probe.name}`),
    unlink: () => {
      handle.unlink();
      assert.deepEqual(violations, [], 'every record matches its catalogue entry');
    },
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

/**
 * The catalogue is the contract: a stable provider's record has exactly the declared fields,
 * each of the declared type. Returns '' when it does.
 */
export function checkRecord(e: ProbeEvent): string {
  const fields = e.probe.args[0]?.fields;
  if (fields === undefined) return '';
  const r = e.args[0] as Record<string, unknown>;
  const name = `${e.probe.provider}:${e.probe.module}:${e.probe.func}:${e.probe.name}`;
  const keys = Object.keys(r).sort().join(',');
  const want = fields
    .map((f) => f.name)
    .sort()
    .join(',');
  if (keys !== want) return `${name}: fields ${keys}, declared ${want}`;
  for (const f of fields) {
    const v = r[f.name];
    const ok =
      f.type === 'string[]' ? Array.isArray(v) && v.every((x) => typeof x === 'string') : f.type === 'unknown' || typeof v === f.type;
    if (!ok) return `${name}: ${f.name} is ${typeof v}, declared ${f.type}`;
    if (typeof v === 'number' && !Number.isFinite(v)) return `${name}: ${f.name} is ${v}`;
  }
  return '';
}

import type { ProbeEvent } from '../core/index.js';
import { registerProviders } from '../providers/index.js';
import { link, type LinkHandle } from '../weaver/index.js';
import type { Activity } from './activity.js';
import { F, type Subsystem } from './fields.js';

type Lookup = (id: number) => Activity | undefined;
type Rec = Record<string, unknown>;
type Charge = (a: Activity, r: Rec) => void;

function num(v: unknown): number {
  return typeof v === 'number' && v > 0 ? v : 0;
}

/**
 * Subsystems fed by the runtime providers through the weaver, like any other monitor: the
 * event's `activity` (filled by our activity source) says whom to charge. Returns the
 * subsystems now fed, so the async-hook fallback skips them and nothing counts twice.
 */
export function linkProviderFeeds(enabled: (s: Subsystem) => boolean, lookup: Lookup, handles: LinkHandle[]): Set<Subsystem> {
  registerProviders();
  const fed = new Set<Subsystem>();
  const feed = (s: Subsystem, description: string, charge: Charge): void => {
    if (!enabled(s)) return;
    fed.add(s);
    handles.push(
      link(description, (ev: ProbeEvent) => {
        const a = lookup(ev.activity);
        if (a !== undefined) charge(a, ev.args[0] as Rec);
      }),
    );
  };
  feed('fs', 'fs:::op-done', (a, r) => {
    a.add(F.fsCount, 1);
    a.add(F.fsBytes, num(r.bytes));
    a.add(F.fsNs, num(r.latency_ns));
  });
  feed('dns', 'dns:::lookup-done', (a, r) => {
    a.add(F.dnsCount, 1);
    a.add(F.dnsNs, num(r.latency_ns));
  });
  return fed;
}

/** Outgoing sockets an activity opened: bytes over the socket's life, charged at close. */
export function linkNetClientFeed(lookup: Lookup, handles: LinkHandle[]): void {
  handles.push(
    link('net:client::close', (ev: ProbeEvent) => {
      const a = lookup(ev.activity);
      if (a === undefined) return;
      const r = ev.args[0] as Rec;
      a.add(F.netIn, num(r.bytes_read));
      a.add(F.netOut, num(r.bytes_written));
    }),
  );
}

import type { ProbeEvent, ProbeHandler } from '../core/index.js';

/** Monitor code: called once per event of every probe its link matches. */
export type Monitor = (event: ProbeEvent) => void;

export type BindingKind = 'direct' | 'shm' | 'message';
export const BINDING_KINDS: readonly BindingKind[] = ['direct', 'shm', 'message'];

export interface LinkStats {
  /** Events delivered to the monitor. */
  events: number;
  /** Events the monitor threw on. */
  faults: number;
  /** Events lost before the monitor saw them (full ring, dead worker). */
  drops: number;
}

/** How one link delivers events; chosen when the link is made and swappable by relink. */
export interface Binding extends ProbeHandler {
  readonly kind: BindingKind;
  readonly stats: LinkStats;
  /** Stops delivery; events already handed over are processed before it resolves. */
  close(): void;
}

export interface FaultReport {
  readonly linkId: number;
  readonly description: string;
  readonly error: unknown;
  readonly faults: number;
}

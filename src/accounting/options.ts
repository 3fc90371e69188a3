import type { Subsystem } from './fields.js';

export interface AcctOptions {
  /** Subsystems to account; missing keys take their default (all on but `linux`). */
  subsystems?: Partial<Record<Subsystem, boolean>>;
  /**
   * Clock for cpu_ns: `wall` (default) sums segments' wall time, ~50 ns per boundary, and
   * counts time the thread was descheduled; `thread` reads the thread's CPU time (0.4–2 µs).
   */
  cpuClock?: 'wall' | 'thread';
  /** Context strategy; `auto` picks per Node version and subsystems (see choose.ts). */
  context?: 'auto' | 'hooks' | 'als';
  /** Every HTTP server request is an activity (token: method and route or path). */
  http?: boolean;
  /** HTTP activities keep their request's W3C `traceparent` and `tracestate` headers in their record (for OTLP spans). */
  traceparent?: boolean;
  /** diagnostics_channel TracingChannel names whose traces are activities. */
  tracingChannels?: readonly string[];
  /** Finished records kept in memory. */
  ringSize?: number;
  /** Link the runtime providers' probes (fs bytes, net bytes…) when they are registered. */
  providers?: boolean;
}

export interface ResolvedOptions {
  subsystems: Record<Subsystem, boolean>;
  context: 'auto' | 'hooks' | 'als';
  cpuClock: 'wall' | 'thread';
  http: boolean;
  traceparent: boolean;
  tracingChannels: readonly string[];
  ringSize: number;
  providers: boolean;
}

const DEFAULT_SUBSYSTEMS: Record<Subsystem, boolean> = {
  wall: true,
  cpu: true,
  loop: true,
  gc: true,
  fs: true,
  net: true,
  dns: true,
  pool: true,
  timers: true,
  child: true,
  linux: false,
};

export function resolveOptions(o: AcctOptions = {}): ResolvedOptions {
  return {
    subsystems: { ...DEFAULT_SUBSYSTEMS, ...o.subsystems, wall: true },
    context: o.context ?? 'auto',
    cpuClock: o.cpuClock ?? 'wall',
    http: o.http ?? true,
    traceparent: o.traceparent ?? false,
    tracingChannels: o.tracingChannels ?? [],
    ringSize: o.ringSize ?? 1024,
    providers: o.providers ?? true,
  };
}

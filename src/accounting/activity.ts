import { performance } from 'node:perf_hooks';
import { FIELD_COUNT, F, type FieldName } from './fields.js';
import { TRASH, claimSlab, releaseSlot, takeSlot, type Slab } from './counters.js';

/** A finished (or snapshot) activity: one flat object, fields as in `FIELDS`. */
export type AcctRecord = {
  id: number;
  token: string;
  /** Start time, ns since the Unix epoch (a double: sub-µs digits are not significant). */
  start_ns: number;
  /** True once stopped; a snapshot of a running activity has `latency_ns` so far. */
  done: boolean;
  metrics: Record<string, number>;
  /** The process it was recorded in, set where records of many processes meet (mscope). */
  pid?: number;
  /** The W3C traceparent the activity's incoming request carried (captured only when asked for). */
  traceparent?: string;
  /** Its W3C tracestate, as received (several header lines joined by commas). */
  tracestate?: string;
} & { [K in FieldName]: number };

let nextId = 1;
const ORIGIN_NS = performance.timeOrigin * 1e6;

/**
 * One activity: a token and its counters, slots `o…o+FIELD_COUNT` of `c`, which the owner can
 * read in place (`acct.view()`), as Resourceful shares results in memory.
 */
export class Activity {
  readonly id = nextId++;
  c: Float64Array;
  o: number;
  private slab: Slab | null;
  private viewed: Float64Array | null = null;
  metrics: Record<string, number> | null = null;
  done = false;
  /** End of its last segment (monotonic ns), for loop-wait accounting. */
  lastSegEnd: number;
  /** Exporters and transports may hang state here (a span id); never read by accounting. */
  carrier: unknown = undefined;
  /** The incoming request's W3C traceparent, when accounting was asked to keep it. */
  traceparent: string | null = null;
  /** The incoming request's W3C tracestate, kept with the traceparent. */
  tracestate: string | null = null;

  constructor(
    public token: string,
    readonly startNs: number,
  ) {
    this.lastSegEnd = startNs;
    const s = claimSlab();
    this.slab = s;
    this.c = s.arr;
    this.o = takeSlot(s);
  }

  add(slot: number, v: number): void {
    this.c[this.o + slot] += v;
  }

  get(slot: number): number {
    return this.c[this.o + slot]!;
  }

  /** The live counters; valid while the activity is open (its slot is then never reused). */
  view(): Float64Array {
    return (this.viewed ??= this.c.subarray(this.o, this.o + FIELD_COUNT));
  }

  metric(name: string, value: number): void {
    const m = (this.metrics ??= {});
    m[name] = (m[name] ?? 0) + value;
  }

  toRecord(nowNs: number): AcctRecord {
    return recordOf(this.c, this.o, {
      id: this.id,
      token: this.token,
      startNs: this.startNs,
      done: this.done,
      latencyNs: this.done ? -1 : nowNs - this.startNs,
      metrics: this.metrics,
      traceparent: this.traceparent,
      tracestate: this.tracestate,
    });
  }

  /** Stops the clock; `release` then frees the counters' slot (after the record is taken). */
  finish(nowNs: number): void {
    this.done = true;
    this.c[this.o + F.latency] = nowNs - this.startNs;
  }

  /** Later charges (a straggling callback, a late GC entry) go to TRASH, not to a reused slot. */
  release(): void {
    const s = this.slab;
    if (s === null) return;
    this.slab = null;
    if (this.viewed === null) releaseSlot(s, this.o);
    this.c = TRASH;
    this.o = 0;
  }
}

/** What a record holds besides its counters. */
export interface RecordMeta {
  id: number;
  token: string;
  /** Monotonic ns, as `Activity.startNs`. */
  startNs: number;
  done: boolean;
  /** -1: the latency slot of the counters (a finished activity). */
  latencyNs: number;
  metrics: Record<string, number> | null;
  traceparent: string | null;
  tracestate: string | null;
}

/** A record from counters at `c[o…o+FIELD_COUNT]`; the one place records are made. */
export function recordOf(c: Float64Array, o: number, m: RecordMeta): AcctRecord {
  const r: AcctRecord = {
    id: m.id,
    token: m.token,
    start_ns: ORIGIN_NS + m.startNs,
    done: m.done,
    latency_ns: m.latencyNs < 0 ? c[o + F.latency]! : m.latencyNs,
    cpu_ns: c[o + F.cpu]!,
    segments_count: c[o + F.segments]!,
    loop_wait_ns: c[o + F.loopWait]!,
    gc_ns: c[o + F.gc]!,
    gc_lifetime_ns: c[o + F.gcLifetime]!,
    fs_count: c[o + F.fsCount]!,
    fs_bytes: c[o + F.fsBytes]!,
    fs_ns: c[o + F.fsNs]!,
    net_in_bytes: c[o + F.netIn]!,
    net_out_bytes: c[o + F.netOut]!,
    net_count: c[o + F.netCount]!,
    net_ns: c[o + F.netNs]!,
    dns_count: c[o + F.dnsCount]!,
    dns_ns: c[o + F.dnsNs]!,
    pool_count: c[o + F.poolCount]!,
    pool_wait_ns: c[o + F.poolWait]!,
    pool_ns: c[o + F.poolNs]!,
    timer_count: c[o + F.timerCount]!,
    timer_ns: c[o + F.timerNs]!,
    child_count: c[o + F.childCount]!,
    child_ns: c[o + F.childNs]!,
    runq_wait_ns: c[o + F.runqWait]!,
    vcsw_count: c[o + F.vcsw]!,
    ivcsw_count: c[o + F.ivcsw]!,
    metrics: m.metrics === null ? {} : { ...m.metrics },
  };
  if (m.traceparent !== null) r.traceparent = m.traceparent;
  if (m.tracestate !== null) r.tracestate = m.tracestate;
  return r;
}

import { wallNs } from '../core/index.js';
import { FIELDS, FIELD_COUNT, F, type FieldName } from './fields.js';

/** A finished (or snapshot) activity: one flat object, fields as in `FIELDS`. */
export type AcctRecord = {
  id: number;
  token: string;
  /** Start time, ns since the Unix epoch (a double: µs precision is what the clock gives). */
  start_ns: number;
  /** True once stopped; a snapshot of a running activity has `latency_ns` so far. */
  done: boolean;
  metrics: Record<string, number>;
} & { [K in FieldName]: number };

let nextId = 1;

/**
 * One activity: a token and its counters. Counters live in a Float64Array so the owner can
 * read them in place (`acct.view()`), as Resourceful shares results in memory.
 */
export class Activity {
  readonly id = nextId++;
  readonly counters = new Float64Array(FIELD_COUNT);
  readonly startWall = Number(wallNs());
  metrics: Record<string, number> | null = null;
  done = false;
  /** End of its last segment (monotonic ns), for loop-wait accounting. */
  lastSegEnd: number;
  /** Exporters and transports may hang state here (a span id); never read by accounting. */
  carrier: unknown = undefined;

  constructor(
    public token: string,
    readonly startNs: number,
  ) {
    this.lastSegEnd = startNs;
  }

  metric(name: string, value: number): void {
    const m = (this.metrics ??= {});
    m[name] = (m[name] ?? 0) + value;
  }

  toRecord(nowNs: number): AcctRecord {
    const c = this.counters;
    const r: Record<string, unknown> = { id: this.id, token: this.token, start_ns: this.startWall, done: this.done };
    for (let i = 0; i < FIELD_COUNT; i++) r[FIELDS[i]!.name] = c[i];
    if (!this.done) r.latency_ns = nowNs - this.startNs;
    r.metrics = this.metrics === null ? {} : { ...this.metrics };
    return r as AcctRecord;
  }

  finish(nowNs: number): void {
    this.done = true;
    this.counters[F.latency] = nowNs - this.startNs;
  }
}

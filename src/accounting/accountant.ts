import { nowNs, setActivitySource } from '../core/index.js';
import type { LinkHandle } from '../weaver/index.js';
import { Activity, recordOf, type AcctRecord } from './activity.js';
import { chooseContext } from './choose.js';
import type { ContextTracker } from './context.js';
import { threadCpuClock } from './cpu-clock.js';
import { linkNetClientFeed, linkProviderFeeds } from './feeds.js';
import { FIELD_COUNT, type Subsystem } from './fields.js';
import { GcAccounting, SegmentLog } from './gc.js';
import { LinuxSampler } from './linux.js';
import { resolveOptions, type AcctOptions, type ResolvedOptions } from './options.js';
import { doneProbe, fireAcct, startProbe } from './probes.js';
import { kindTable } from './resource-kinds.js';
import { RecordRing } from './ring.js';

/** Receives each finished record, on the application thread: keep it short (buffer, batch). */
export type RecordSink = (record: AcctRecord, activity: Activity) => void;

/** Where finished records come from: an accountant, or mscope's merge of every process's records. */
export interface RecordSource {
  onRecord(sink: (record: AcctRecord) => void): () => void;
  readonly options: ResolvedOptions | null;
}

/** Installed pieces of one enable(); torn down together. */
interface Session {
  readonly options: ResolvedOptions;
  readonly tracker: ContextTracker;
  readonly gc: GcAccounting | null;
  readonly linux: LinuxSampler | null;
  readonly links: LinkHandle[];
  readonly teardown: (() => void)[];
}

/**
 * Resourceful's API for Node: activities with tokens, and the resources each one caused,
 * per subsystem. One per thread (`acct`); enabled lazily with defaults on first use.
 */
export class Accountant {
  private s: Session | null = null;
  private readonly open = new Map<number, Activity>();
  private readonly byToken = new Map<string, Activity>();
  private readonly sinks: RecordSink[] = [];
  /** The activity last finished on this thread, and a copy of its counters (its slot is released at finish). */
  private last: Activity | null = null;
  private readonly lastCounters = new Float64Array(FIELD_COUNT);
  private lastMetrics: Record<string, number> | null = null;
  /** Sinks that threw: the first is a process warning, all are counted; a sink's fault never reaches the application. */
  sinkFaults = 0;
  private ringStore = new RecordRing(1024);
  /** Hooks that extend enable() (http auto-activities, tracing channels) without a cycle. */
  static readonly extensions: ((acct: Accountant, o: ResolvedOptions) => () => void)[] = [];

  get enabled(): boolean {
    return this.s !== null;
  }

  get options(): ResolvedOptions | null {
    return this.s?.options ?? null;
  }

  get ring(): RecordRing {
    return this.ringStore;
  }

  enable(options: AcctOptions = {}): void {
    if (this.s !== null) this.disable();
    const o = resolveOptions(options);
    const on = (x: Subsystem): boolean => o.subsystems[x];
    const links: LinkHandle[] = [];
    const lookup = (id: number): Activity | undefined => this.open.get(id);
    const fed = o.providers ? linkProviderFeeds(on, lookup, links) : new Set<Subsystem>();
    if (o.providers && on('net')) linkNetClientFeed(lookup, links);
    const segments = on('gc') ? new SegmentLog(this.open) : null;
    const linux = on('linux') ? LinuxSampler.open() : null;
    const tracker = chooseContext(o, {
      cpu: on('cpu'),
      cpuClock: o.cpuClock === 'thread' ? threadCpuClock() : null,
      loop: on('loop'),
      segments,
      linux,
      kinds: kindTable((x) => on(x) && !fed.has(x)),
      pool: on('pool'),
      als: null,
    });
    const gc = segments !== null ? new GcAccounting(segments, this.open) : null;
    this.ringStore = new RecordRing(o.ringSize);
    this.s = { options: o, tracker, gc, linux, links, teardown: [] };
    setActivitySource(() => tracker.current()?.id ?? 0);
    for (const ext of Accountant.extensions) this.s.teardown.push(ext(this, o));
  }

  disable(): void {
    const s = this.s;
    if (s === null) return;
    this.s = null;
    for (const t of s.teardown) t();
    for (const l of s.links) l.unlink();
    s.gc?.disable();
    s.linux?.close();
    s.tracker.disable();
    setActivitySource(() => 0);
    this.open.clear();
    this.byToken.clear();
  }

  private session(): Session {
    if (this.s === null) this.enable();
    return this.s!;
  }

  current(): Activity | null {
    return this.s === null ? null : this.s.tracker.current();
  }

  /** Runs `fn` as activity `token`; stops it when `fn` returns or its promise settles. */
  run<R>(token: string, fn: () => R): R {
    const s = this.session();
    const act = this.begin(token);
    let result: R;
    try {
      result = s.tracker.run(act, fn);
    } catch (e) {
      this.end(act);
      throw e;
    }
    if (result instanceof Promise) {
      const end = (): void => {
        this.end(act);
      };
      result.then(end, end);
    } else this.end(act);
    return result;
  }

  /** Starts activity `token` here: the rest of this segment and all it schedules belong to it. */
  start(token: string): Activity {
    const s = this.session();
    const act = this.begin(token);
    this.byToken.set(token, act);
    s.tracker.enter(act);
    return act;
  }

  /** Stops the current activity and returns its record; `read()` returns it afterwards too. */
  stop(): AcctRecord | null {
    const s = this.s;
    const act = s?.tracker.current() ?? null;
    if (s === null || act === null) return null;
    const r = this.finish(act);
    s.tracker.enter(null);
    return r;
  }

  /** The current activity's record (a copy), else the one last stopped on this thread. */
  read(): AcctRecord | null {
    const s = this.s;
    if (s === null) return null;
    const act = s.tracker.current();
    if (act !== null && !act.done) {
      s.tracker.flush();
      return act.toRecord(nowNs());
    }
    return this.lastRecord();
  }

  private lastRecord(): AcctRecord | null {
    const a = this.last;
    if (a === null) return null;
    return recordOf(this.lastCounters, 0, {
      id: a.id,
      token: a.token,
      startNs: a.startNs,
      done: true,
      latencyNs: -1,
      metrics: this.lastMetrics,
      traceparent: a.traceparent,
      tracestate: a.tracestate,
    });
  }

  /**
   * The current activity's counters in place (slots as in `F`/`FIELDS`), no copy. Updated
   * at segment boundaries; the running segment's CPU is added at its end or by `read()`.
   */
  view(): Float64Array | null {
    return this.current()?.view() ?? null;
  }

  /** Charges what follows to the open activity `token` (started if none); returns the previous token. */
  switchTo(token: string): string | null {
    const s = this.session();
    const prev = s.tracker.current();
    let act = this.byToken.get(token);
    if (act === undefined || act.done) {
      act = this.begin(token);
      this.byToken.set(token, act);
    }
    s.tracker.enter(act);
    return prev === null ? null : prev.token;
  }

  /** Adds `value` to the current activity's application metric `name`. */
  metric(name: string, value: number): void {
    this.current()?.metric(name, value);
  }

  onRecord(sink: RecordSink): () => void {
    this.sinks.push(sink);
    return () => {
      const i = this.sinks.indexOf(sink);
      if (i >= 0) this.sinks.splice(i, 1);
    };
  }

  /** Creates an open activity without entering it (http auto-activities enter it themselves). */
  begin(token: string): Activity {
    const act = new Activity(token, nowNs());
    this.open.set(act.id, act);
    if (startProbe.enabled) fireAcct(startProbe, act, act.toRecord(act.startNs));
    return act;
  }

  enter(act: Activity | null): void {
    this.session().tracker.enter(act);
  }

  /** Closes `act`: its record goes to the ring, the `acct:::done` probe and every sink. */
  finish(act: Activity): AcctRecord {
    if (act.done || this.s === null) return act.toRecord(nowNs());
    this.close(act);
    return this.lastRecord()!;
  }

  /** `finish` for callers that do not want the record: none is made unless a sink or the probe takes it. */
  end(act: Activity): void {
    if (act.done || this.s === null) return;
    this.close(act);
  }

  private close(act: Activity): void {
    const s = this.s!;
    if (s.tracker.current() === act) s.tracker.flush();
    act.finish(nowNs());
    this.open.delete(act.id);
    // Only start()/switchTo() register tokens: an HTTP token (a fresh string) is not hashed for nothing.
    if (this.byToken.size !== 0 && this.byToken.get(act.token) === act) this.byToken.delete(act.token);
    // A straggling callback may still add metrics to the finished activity: keep them as at finish.
    const metrics = act.metrics === null ? null : { ...act.metrics };
    this.ringStore.push(act, metrics);
    this.last = act;
    this.lastMetrics = metrics;
    const c = act.c;
    const o = act.o;
    const lc = this.lastCounters;
    for (let k = 0; k < FIELD_COUNT; k++) lc[k] = c[o + k]!;
    const sinks = this.sinks;
    const r = sinks.length !== 0 || doneProbe.enabled ? act.toRecord(0) : null;
    act.release();
    if (r === null) return;
    if (doneProbe.enabled) fireAcct(doneProbe, act, r);
    for (let i = 0; i < sinks.length; i++) {
      try {
        sinks[i]!(r, act);
      } catch (e) {
        if (this.sinkFaults++ === 0) reportSinkFault(e);
      }
    }
  }
}

/** The first sink fault of a process, as a warning: later ones are only counted (`sinkFaults`). */
function reportSinkFault(e: unknown): void {
  const what = e instanceof Error ? `${e.name}: ${e.message}` : typeof e;
  process.emitWarning(`an accounting record sink threw (${what}); its records are lost, later faults are counted in acct.sinkFaults`, {
    code: 'MSCOPE_SINK_FAULT',
  });
}

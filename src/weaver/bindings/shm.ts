import type { Worker } from 'node:worker_threads';
import { ErrorCode, MscopeError, deferred, type Probe, type ProbeEvent } from '../../core/index.js';
import { reportFault } from '../faults.js';
import type { Binding, BindingContext, FaultReport, LinkStats } from '../types.js';
import { monitorKey, monitorUrl, type MonitorRef } from '../remote/monitor-ref.js';
import type { ShmFromHost } from '../remote/protocol.js';
import { hostUrl, startWorker } from '../remote/spawn.js';
import { HostPort } from '../remote/host-port.js';
import { heapLimits } from '../remote/supervisor.js';
import { DEFAULT_STRSIZE, RecordWriter } from './record-writer.js';
import { ShmRing } from './shm-ring.js';
import { DefinedProbes } from './defined-probes.js';

interface LinkEnd {
  readonly ctx: BindingContext;
  faults: number;
  /** The link's events its monitor had handled at the last flush that reached this thread. */
  covered: number;
  binding: ShmBinding | null;
}

type Kind = NonNullable<FaultReport['kind']>;
/** A consumer still loading its monitor is given this long before it counts as hung. */
const STARTUP_MS = 15_000;

/**
 * One ring and one consumer worker per remote monitor (module + options) in this thread,
 * shared by every link that uses it; the worker keeps one monitor instance per link.
 */
export class ShmConsumer {
  private static readonly byKey = new Map<string, ShmConsumer>();
  readonly ring: ShmRing;
  readonly writer: RecordWriter;
  /** Probe ids of this thread already defined in the ring. */
  readonly defined = new DefinedProbes();
  private readonly worker: Worker;
  private readonly port: HostPort<ShmFromHost>;
  private readonly ends = new Map<number, LinkEnd>();
  private readonly waiting = new Map<number, () => void>();
  private readonly deadlineMs: number;
  private seq = 0;
  private ready = false;
  private readonly loaded = deferred<void>();
  /** The worker is gone or stopped answering: nothing more will be read. */
  private dead = false;
  /** gone() has run: the links' losses are counted. */
  private settled = false;
  private lastError = '';
  private received = 0;

  static for(ref: MonitorRef, ctx: BindingContext): ShmConsumer {
    const key = monitorKey(ref);
    let c = ShmConsumer.byKey.get(key);
    if (c === undefined) ShmConsumer.byKey.set(key, (c = new ShmConsumer(key, ref, ctx)));
    return c;
  }

  private constructor(
    private readonly key: string,
    ref: MonitorRef,
    ctx: BindingContext,
  ) {
    const s = ctx.settings;
    this.deadlineMs = s.deadlineMs ?? 1000;
    // Bindings of this thread are its only producers: this map is per thread.
    this.ring = new ShmRing(ShmRing.allocate(s.ringBytes, true));
    this.writer = new RecordWriter(s.strsize ?? DEFAULT_STRSIZE);
    this.port = new HostPort<ShmFromHost>((m) => this.onMessage(m));
    this.worker = startWorker(
      hostUrl('shm-host'),
      { monitorUrl: monitorUrl(ref), options: ref.options, ring: this.ring.sab, flushMs: s.flushMs ?? 100 },
      { port: this.port.remote, signal: this.port.signal, resourceLimits: heapLimits(s.maxHeapMb ?? 64) },
    );
    this.worker.on('error', (e: Error & { code?: string }) => {
      // A throw the host already reported (its `crash` message) comes here again.
      if (this.lastError !== '') return;
      this.lastError = `${e.name}: ${e.message}`;
      this.fault(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crash', this.lastError, 1);
    });
    this.worker.on('exit', (code) => {
      if (!this.dead && this.lastError === '') this.fault('crash', `monitor worker exited with code ${code}`, 1);
      this.gone();
    });
  }

  attach(ctx: BindingContext): LinkEnd {
    const end: LinkEnd = { ctx, faults: 0, covered: 0, binding: null };
    this.ends.set(ctx.linkId, end);
    return end;
  }

  /** Resolves when the monitor has loaded, or the worker is gone. */
  whenReady(): Promise<void> {
    return this.loaded.promise;
  }

  /** Drains everything written for `linkId`, delivers its last flush, and forgets it. */
  detach(linkId: number): Promise<void> {
    const seq = ++this.seq;
    return new Promise<void>((resolve) => {
      if (this.dead) return resolve();
      this.worker.ref();
      const timer = this.watch(seq);
      this.waiting.set(seq, () => {
        clearTimeout(timer.current);
        resolve();
      });
      this.port.post({ type: 'close', link: linkId, seq });
    }).then(() => {
      this.ends.delete(linkId);
      if (this.waiting.size === 0) this.worker.unref();
      if (this.ends.size === 0) this.stop();
    });
  }

  /**
   * Drains the ring and delivers every link's flush synchronously (an `exit` handler), while
   * the worker makes progress: a worker silent for the deadline is reported as hung, and
   * what it holds stays in flight.
   */
  drainSync(): void {
    if (this.dead) return;
    const seq = ++this.seq;
    let done = false;
    this.waiting.set(seq, () => (done = true));
    this.port.post({ type: 'flush', seq });
    if (
      this.port.receiveUntil(
        () => done,
        () => (this.ready ? this.deadlineMs : Math.max(STARTUP_MS, this.deadlineMs)),
      )
    )
      return;
    const code = this.port.exitCode;
    if (code === null) return this.hung();
    if (this.lastError === '') this.fault('crash', `monitor worker exited with code ${code}`, 1);
    this.stop();
    this.gone();
  }

  /**
   * A close is hung when the worker neither reads the ring nor says anything for the
   * deadline once its monitor has loaded; a late tick (this thread was starved) starts over.
   */
  private watch(seq: number): { current?: NodeJS.Timeout } {
    const timer: { current?: NodeJS.Timeout } = {};
    const tick = Number.isFinite(this.deadlineMs) ? Math.max(10, this.deadlineMs / 4) : 1000;
    let mark = this.progress();
    let since = Date.now();
    let last = since;
    const check = (): void => {
      if (!this.waiting.has(seq) || this.dead) return;
      const now = Date.now();
      const m = this.progress();
      if (!this.ready || m !== mark || now - last > 2 * tick) {
        mark = m;
        since = now;
      } else if (now - since > this.deadlineMs) return this.hung();
      last = now;
      timer.current = setTimeout(check, tick);
    };
    timer.current = setTimeout(check, tick);
    return timer;
  }

  /** Changes whenever the worker reads the ring or posts a message. */
  private progress(): number {
    return (this.ring.readCursor() + this.received) | 0;
  }

  private hung(): void {
    this.fault('hang', `monitor did not finish within ${this.deadlineMs} ms`, 1);
    this.stop();
    this.gone();
  }

  private stop(): void {
    this.dead = true;
    ShmConsumer.byKey.delete(this.key);
    this.loaded.resolve();
    void this.worker.terminate();
  }

  /**
   * The consumer died (a failed load, a crash, a hang): nothing more will be read. The flushes
   * it sent before it went are taken first; what no flush covered is lost, as is every event
   * fired after: each link counts both as drops. Then waiters are released.
   */
  private gone(): void {
    if (this.settled) return;
    this.settled = true;
    this.dead = true;
    ShmConsumer.byKey.delete(this.key);
    this.port.receivePending();
    this.port.close();
    for (const end of this.ends.values()) end.binding?.consumerLost(end.covered);
    this.loaded.resolve();
    for (const done of this.waiting.values()) done();
    this.waiting.clear();
  }

  private onMessage(m: ShmFromHost): void {
    this.received++;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.writer.timestamps = m.timestamps;
        this.loaded.resolve();
        break;
      case 'flush':
        this.flushed(m.link, m.events, m.result, true);
        break;
      case 'closed':
      case 'flushed': {
        if (m.type === 'closed') this.flushed(m.link, m.events, m.result, m.result !== undefined);
        const done = this.waiting.get(m.seq);
        this.waiting.delete(m.seq);
        done?.();
        break;
      }
      case 'fault': {
        const end = this.ends.get(m.link);
        if (end === undefined || m.faults <= end.faults) break;
        end.faults = m.faults;
        report(end, 'throw', m.error);
        break;
      }
      case 'crash':
        this.lastError = m.error;
        this.fault('crash', m.error, 1);
        break;
      case 'load-error':
        this.lastError = m.error;
        this.fault('load', m.error, 1);
        this.stop();
        this.gone();
        break;
      default:
        break;
    }
  }

  /** A closing link's last flush is delivered only if it has a result, but covers its events either way. */
  private flushed(link: number, events: number, result: unknown, deliver: boolean): void {
    const end = this.ends.get(link);
    if (end === undefined) return;
    end.covered = events;
    if (deliver) end.ctx.onFlush(result);
  }

  private fault(kind: Kind, error: string, n: number): void {
    for (const end of this.ends.values()) {
      end.faults += n;
      report(end, kind, error);
    }
  }
}

function report(end: LinkEnd, kind: Kind, error: string): void {
  reportFault({ linkId: end.ctx.linkId, description: end.ctx.description, error, faults: end.faults, kind });
}

/**
 * The probe site encodes the event into the shared ring and returns: no call into monitor
 * code, no allocation beyond the event itself, never a wait. Strings are copied up to
 * `strsize` bytes; objects, functions and `this` are not copied (an "unsupported" value).
 */
export class ShmBinding implements Binding {
  readonly kind = 'shm' as const;
  /** deliver copies what it ships into the ring before returning. */
  readonly keepsEvents = false;
  private readonly counts: LinkStats = { events: 0, faults: 0, drops: 0 };
  private readonly ring: ShmRing;
  private readonly writer: RecordWriter;
  private readonly defined: DefinedProbes;
  private open = true;
  /** Its consumer died while linked: every later event is a drop. */
  private lost = false;

  constructor(
    private readonly consumer: ShmConsumer,
    private readonly end: LinkEnd,
    private readonly linkId: number,
    /** As the link declared (LinkOptions.readsArgs): false, and the site hands no arguments to copy. */
    readonly readsArgs: boolean,
    /**
     * As the link declared (LinkOptions.readsEvent): false, and the site hands over its probe's
     * fixed event, whose activity and time (copied into the record) the monitor never reads.
     */
    readonly readsEvent: boolean,
  ) {
    this.ring = consumer.ring;
    this.writer = consumer.writer;
    this.defined = consumer.defined;
    end.binding = this;
  }

  get stats(): LinkStats {
    return { events: this.counts.events, faults: this.end.faults, drops: this.counts.drops };
  }

  deliver(ev: ProbeEvent): void {
    if (!this.open) {
      if (this.lost) {
        this.counts.events++;
        this.counts.drops++;
      }
      return;
    }
    this.counts.events++;
    const p = ev.probe;
    if (!this.defined.has(p.id) && !this.define(p, ev.tid)) {
      this.counts.drops++;
      return;
    }
    const words = this.writer.recordWords(ev);
    const at = this.ring.reserve(words);
    if (at < 0) {
      this.ring.drop();
      this.counts.drops++;
      return;
    }
    this.writer.writeEvent(this.ring, at, ev, this.linkId);
    this.ring.commit(at, words);
  }

  close(): Promise<void> {
    this.open = false;
    this.lost = false;
    return this.consumer.detach(this.linkId);
  }

  /**
   * What was written to the ring and no flush covered will never be read: drops, also for a
   * link being unlinked (its last flush will not come); a linked one drops what it fires from now on.
   */
  consumerLost(covered: number): void {
    this.counts.drops += Math.max(0, this.counts.events - this.counts.drops - covered);
    this.lost = this.open;
    this.open = false;
  }

  ready(): Promise<void> {
    return this.consumer.whenReady();
  }

  drainSync(): void {
    this.consumer.drainSync();
  }

  private define(p: Probe, tid: number): boolean {
    const words = this.writer.defWords(p);
    const at = this.ring.reserve(words);
    if (at < 0) {
      this.ring.drop();
      return false;
    }
    this.writer.writeDef(this.ring, at, p, tid);
    this.ring.commit(at, words);
    this.defined.add(p.id);
    return true;
  }
}

export function createShmBinding(ctx: BindingContext): ShmBinding {
  if (ctx.remote === undefined) {
    throw new MscopeError(
      ErrorCode.BadBinding,
      `link ${ctx.linkId} (${ctx.description}): the shm binding runs its monitor in a worker; pass options.remote = { module, options }`,
    );
  }
  const consumer = ShmConsumer.for(ctx.remote, ctx);
  return new ShmBinding(consumer, consumer.attach(ctx), ctx.linkId, ctx.readsArgs, ctx.readsEvent);
}

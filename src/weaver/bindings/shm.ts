import type { Worker } from 'node:worker_threads';
import { ErrorCode, MscopeError, type Probe, type ProbeEvent } from '../../core/index.js';
import { reportFault } from '../faults.js';
import type { Binding, BindingContext, LinkStats } from '../types.js';
import { monitorKey, monitorUrl, type MonitorRef } from '../remote/monitor-ref.js';
import type { ShmFromHost } from '../remote/protocol.js';
import { hostUrl, startWorker } from '../remote/spawn.js';
import { DEFAULT_STRSIZE, RecordWriter } from './record-writer.js';
import { ShmRing } from './shm-ring.js';

interface LinkEnd {
  readonly ctx: BindingContext;
  faults: number;
}

/**
 * One ring and one consumer worker per remote monitor (module + options) in this thread,
 * shared by every link that uses it; the worker keeps one monitor instance per link.
 */
export class ShmConsumer {
  private static readonly byKey = new Map<string, ShmConsumer>();
  readonly ring: ShmRing;
  readonly writer: RecordWriter;
  /** Probe ids of this thread already defined in the ring (1 = defined). */
  readonly defined: number[] = [];
  private readonly worker: Worker;
  private readonly ends = new Map<number, LinkEnd>();
  private readonly waiting = new Map<number, () => void>();
  private seq = 0;

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
    this.ring = new ShmRing(ShmRing.allocate(s.ringBytes));
    this.writer = new RecordWriter(s.strsize ?? DEFAULT_STRSIZE);
    this.worker = startWorker(hostUrl('shm-host'), {
      monitorUrl: monitorUrl(ref),
      options: ref.options,
      ring: this.ring.sab,
      flushMs: s.flushMs ?? 100,
    });
    this.worker.on('message', (m: ShmFromHost) => this.onMessage(m));
    this.worker.on('error', (e) => this.onMessage({ type: 'load-error', error: String(e) }));
    this.worker.on('exit', () => this.gone());
    // Adding a 'message' listener refs the worker again; the application must still exit.
    this.worker.unref();
  }

  attach(ctx: BindingContext): LinkEnd {
    const end = { ctx, faults: 0 };
    this.ends.set(ctx.linkId, end);
    return end;
  }

  /** Handle for probe sites on other threads of this program: post it, then `adoptShmRing`. */
  get sab(): SharedArrayBuffer {
    return this.ring.sab;
  }

  /** Drains everything written for `linkId`, delivers its last flush, and forgets it. */
  detach(linkId: number): Promise<void> {
    const seq = ++this.seq;
    this.worker.ref();
    return new Promise<void>((resolve) => {
      this.waiting.set(seq, resolve);
      this.worker.postMessage({ type: 'close', link: linkId, seq });
    }).then(() => {
      this.ends.delete(linkId);
      if (this.waiting.size === 0) this.worker.unref();
      if (this.ends.size === 0) {
        ShmConsumer.byKey.delete(this.key);
        void this.worker.terminate();
      }
    });
  }

  /** The consumer died (a failed load or a crash): nothing more will be read; release waiters. */
  private gone(): void {
    ShmConsumer.byKey.delete(this.key);
    for (const done of this.waiting.values()) done();
    this.waiting.clear();
  }

  private onMessage(m: ShmFromHost): void {
    switch (m.type) {
      case 'flush':
        this.ends.get(m.link)?.ctx.onFlush(m.result);
        break;
      case 'closed': {
        if (m.result !== undefined) this.ends.get(m.link)?.ctx.onFlush(m.result);
        const done = this.waiting.get(m.seq);
        this.waiting.delete(m.seq);
        done?.();
        break;
      }
      case 'fault':
      case 'load-error':
        for (const end of this.ends.values()) {
          end.faults++;
          reportFault({
            linkId: end.ctx.linkId,
            description: end.ctx.description,
            error: m.error,
            faults: end.faults,
            kind: m.type === 'fault' ? 'throw' : 'load',
          });
        }
        break;
      default:
        break;
    }
  }
}

/**
 * The probe site encodes the event into the shared ring and returns: no call into monitor
 * code, no allocation beyond the event itself, never a wait. Strings are copied up to
 * `strsize` bytes; objects, functions and `this` are not copied (an "unsupported" value).
 */
export class ShmBinding implements Binding {
  readonly kind = 'shm' as const;
  private readonly counts: LinkStats = { events: 0, faults: 0, drops: 0 };
  private readonly ring: ShmRing;
  private readonly writer: RecordWriter;
  private readonly defined: number[];
  private open = true;

  constructor(
    private readonly consumer: ShmConsumer,
    private readonly end: LinkEnd,
    private readonly linkId: number,
  ) {
    this.ring = consumer.ring;
    this.writer = consumer.writer;
    this.defined = consumer.defined;
  }

  get stats(): LinkStats {
    return { events: this.counts.events, faults: this.end.faults, drops: this.counts.drops };
  }

  deliver(ev: ProbeEvent): void {
    if (!this.open) return;
    this.counts.events++;
    const p = ev.probe;
    if (this.defined[p.id] !== 1 && !this.define(p, ev.tid)) {
      this.counts.drops++;
      return;
    }
    const words = this.writer.eventWords(ev);
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
    return this.consumer.detach(this.linkId);
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
    this.defined[p.id] = 1;
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
  return new ShmBinding(consumer, consumer.attach(ctx), ctx.linkId);
}

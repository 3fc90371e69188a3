import { ErrorCode, MscopeError, type Probe, type ProbeEvent } from '../../core/index.js';
import type { Binding, BindingContext, LinkStats } from '../types.js';
import { Supervisor } from '../remote/supervisor.js';
import type { Batch } from '../remote/protocol.js';
import { DEFAULT_STRSIZE, RecordWriter, type ObjectSink, type RecordViews } from './record-writer.js';
import { DefinedProbes } from './defined-probes.js';
import { safeCopy, type CopyLimits, type CopyMeter } from './safe-copy.js';

const BATCH_BYTES = 64 << 10;
/** Buffers handed back by the host and kept for the next batches: a burst of 16 batches (1 MiB) allocates nothing. */
const SPARE_BUFFERS = 16;
/** A batch is posted once the objects copied beside its records pass this, as when its buffer fills. */
const BATCH_OBJECT_BYTES = 1 << 20;
/**
 * How long a batch stays open for later turns' events. A post costs the application thread
 * ~11 µs with its acknowledgement (the binding's per-batch term in docs/benchmarks.md); posted
 * every turn, a server whose requests each fire a few events paid that per request. The NIC
 * demo's driver (an event every 100 µs) paid 8 µs a packet over unmonitored at 1 ms, 4 at 5
 * and no less at 10 or 20.
 */
const POST_MS = 5;

/** A batch being filled on the application thread; its buffer is transferred when posted. */
class OpenBatch implements RecordViews {
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly i64: BigInt64Array;
  readonly u8: Buffer;
  used = 0;
  events = 0;
  readonly objects: unknown[] = [];
  /** What the copies in `objects` hold, roughly (safeCopy's meter). */
  readonly copied: CopyMeter = { bytes: 0 };

  constructor(readonly buffer: ArrayBuffer) {
    this.i32 = new Int32Array(buffer);
    this.f64 = new Float64Array(buffer);
    this.i64 = new BigInt64Array(buffer);
    this.u8 = Buffer.from(buffer);
  }
}

/**
 * Events are encoded at the probe site into a batch (numbers and strings in the record
 * layout, objects and `this` as bounded side-effect-free copies), and the batch is posted
 * `postMs` (default POST_MS) after its first event, or when full. The monitor runs behind a hard boundary
 * (see Supervisor); while it is down or backed up, events are dropped and counted.
 */
export class MessageBinding implements Binding, ObjectSink {
  readonly kind = 'message' as const;
  /** deliver copies what it posts into the batch before returning. */
  readonly keepsEvents = false;
  /** As the link declared (LinkOptions.readsArgs): false, and the site hands no arguments to copy. */
  readonly readsArgs: boolean;
  /** As the link declared (LinkOptions.readsEvent): false, and the site hands over its probe's fixed event (as for shm). */
  readonly readsEvent: boolean;
  private readonly counts: LinkStats = { events: 0, faults: 0, drops: 0 };
  private readonly writer: RecordWriter;
  private readonly limits: CopyLimits;
  private readonly sup: Supervisor;
  private readonly defined = new DefinedProbes();
  private readonly spare: ArrayBuffer[] = [];
  private batch = this.nextBatch();
  private scheduled = false;
  /** With `postMs` > 0: made with the binding, outside any request's async context; `refresh` arms it again. */
  private readonly timer: NodeJS.Timeout | null;
  /** Arms the post of the open batch: the timer's refresh, or with `postMs` 0 a setImmediate. */
  private readonly schedulePost: () => void;
  private open = true;
  /** Batches posted: each costs the application a post, a turn's callback and its buffer's return (the probe effect's per-batch term). */
  private posted = 0;
  private readonly postBound = (): void => this.post();
  private readonly linkId: number;

  constructor(ctx: BindingContext) {
    const postMs = ctx.settings.postMs ?? POST_MS;
    this.timer = postMs > 0 ? setTimeout(this.postBound, postMs) : null;
    const timer = this.timer;
    this.schedulePost = timer === null ? () => void setImmediate(this.postBound) : () => void timer.refresh();
    this.linkId = ctx.linkId;
    this.readsArgs = ctx.readsArgs;
    this.readsEvent = ctx.readsEvent;
    const strsize = ctx.settings.strsize ?? DEFAULT_STRSIZE;
    this.writer = new RecordWriter(strsize, this, ctx.readsThis);
    this.limits = { depth: 3, nodes: 200, strsize };
    this.sup = new Supervisor(ctx, ctx.remote!);
    // A new host knows no probe definitions; a half-filled batch may refer to lost ones.
    this.sup.onRestart = () => {
      this.defined.clear();
      this.counts.drops += this.batch.events;
      this.batch = this.nextBatch();
    };
    this.sup.onReady = (timestamps) => (this.writer.timestamps = timestamps);
    this.sup.onBuffer = (buffer) => {
      if (this.spare.length < SPARE_BUFFERS && buffer.byteLength === BATCH_BYTES) this.spare.push(buffer);
    };
  }

  ready(): Promise<void> {
    return this.sup.whenReady();
  }

  get stats(): LinkStats {
    return { events: this.counts.events, faults: this.sup.faults, drops: this.counts.drops + this.sup.drops, batches: this.posted };
  }

  add(value: unknown): number {
    const b = this.batch;
    return b.objects.push(safeCopy(value, this.limits, b.copied)) - 1;
  }

  deliver(ev: ProbeEvent): void {
    if (!this.open) return;
    this.counts.events++;
    if (!this.sup.accepting) {
      this.counts.drops++;
      return;
    }
    const p = ev.probe;
    if (!this.defined.has(p.id)) this.define(p, ev.tid);
    const words = this.writer.recordWords(ev);
    if (!this.room(words)) {
      this.counts.drops++;
      return;
    }
    const b = this.batch;
    this.writer.writeEvent(b, b.used, ev, this.linkId);
    b.i32[b.used] = words;
    b.used += words;
    b.events++;
  }

  close(): Promise<void> {
    this.open = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.post();
    return this.sup.close();
  }

  drainSync(): void {
    this.post();
    this.sup.drainSync();
  }

  private define(p: Probe, tid: number): void {
    const words = this.writer.defWords(p);
    if (!this.room(words)) return;
    const b = this.batch;
    this.writer.writeDef(b, b.used, p, tid);
    b.i32[b.used] = words;
    b.used += words;
    this.defined.add(p.id);
  }

  /** Makes room for `words` in the open batch, posting it when full; false if it can never fit. */
  private room(words: number): boolean {
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedulePost();
    }
    if (this.batch.used + words <= this.batch.i32.length && this.batch.copied.bytes < BATCH_OBJECT_BYTES) return true;
    this.post();
    return words <= this.batch.i32.length && this.sup.accepting;
  }

  /** A batch on a buffer the host handed back, else on a new one; a reused buffer's old records lie past `used`, never read. */
  private nextBatch(): OpenBatch {
    return new OpenBatch(this.spare.pop() ?? new ArrayBuffer(BATCH_BYTES));
  }

  private post(): void {
    this.scheduled = false;
    const b = this.batch;
    if (b.used === 0) return;
    this.batch = this.nextBatch();
    if (!this.sup.accepting) {
      this.counts.drops += b.events;
      return;
    }
    this.posted++;
    const batch: Batch = { seq: this.sup.nextSeq(), buffer: b.buffer, words: b.used, events: b.events, objects: b.objects };
    this.sup.send(batch, b.used * 4 + b.copied.bytes);
  }
}

export function createMessageBinding(ctx: BindingContext): MessageBinding {
  if (ctx.remote === undefined) {
    throw new MscopeError(
      ErrorCode.BadBinding,
      `link ${ctx.linkId} (${ctx.description}): the message binding runs its monitor in an isolated worker; pass options.remote = { module, options }`,
    );
  }
  return new MessageBinding(ctx);
}

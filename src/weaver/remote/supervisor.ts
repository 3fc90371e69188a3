import type { Worker } from 'node:worker_threads';
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { reportFault } from '../faults.js';
import type { BindingContext, FaultReport } from '../types.js';
import { monitorUrl, type MonitorRef } from './monitor-ref.js';
import type { Batch, MessageFromHost, MessageToHost } from './protocol.js';
import { hostUrl, startProcess, startWorker } from './spawn.js';
import { HostPort } from './host-port.js';
import { deferred } from '../../core/deferred.js';

type Kind = NonNullable<FaultReport['kind']>;
/** Loading the monitor may take this long, or the deadline if longer (Infinity: no limit). */
const STARTUP_MS = 15_000;
/** Bytes of records and object copies posted and not yet processed, past which events are dropped. */
export const DEFAULT_MAX_QUEUED_BYTES = 16 << 20;

interface Host {
  post(m: MessageToHost, transfer?: ArrayBuffer[]): void;
  kill(): void;
  ref(): void;
  unref(): void;
  /** Worker hosts only: handles replies synchronously (HostPort#receiveUntil). */
  receiveUntil?(done: () => boolean, limitMs: () => number): boolean;
  /** Worker hosts only: handles the acknowledgements already sent, now (HostPort#receiveNow). */
  receiveAcks?(): void;
  exitCode?(): number | null;
}

/**
 * Owns the message binding's monitor host: starts it, posts batches, watches for hangs,
 * and restarts it with backoff after a throw-free failure (hang, memory, crash). Batches
 * not covered by a flush when the host dies are counted as drops: their aggregation died
 * with it.
 */
export class Supervisor {
  faults = 0;
  drops = 0;
  restarts = 0;
  gaveUp = false;
  private host: Host | null = null;
  private generation = 0;
  private seq = 0;
  /** Batches sent and not yet covered by a flush: [seq, events]. */
  private unflushed: Array<[number, number]> = [];
  private acked = 0;
  /** Batches posted and not yet acknowledged: [seq, events, bytes], and the sums of both. */
  private inflight: Array<[number, number, number]> = [];
  private queued = 0;
  private queuedBytes = 0;
  private lastProgress = 0;
  private lastTick = 0;
  /** The deadline applies once the host has loaded its monitor; loading has its own limit. */
  private ready = false;
  private readonly loaded = deferred<void>();
  private startedAt = 0;
  private readonly watchdog: NodeJS.Timeout;
  private closing: { seq: number; resolve: () => void } | null = null;
  /** Set by stop(): a restart scheduled before it must not start a host nobody will close. */
  private stopped = false;
  private readonly settings: Required<
    Pick<BindingContextSettings, 'deadlineMs' | 'maxRestarts' | 'maxQueued' | 'maxQueuedBytes' | 'flushMs' | 'maxHeapMb'>
  > & {
    isolate: 'worker' | 'process';
  };
  /** Called on (re)start: the next batch must re-send probe definitions. */
  onRestart: () => void = () => {};
  /** Told, when a host is ready, whether its monitor reads timestamps (MonitorSet#readsTimestamps). */
  onReady: (timestamps: boolean) => void = () => {};
  /** Receives a batch buffer the host has finished with, for reuse. */
  onBuffer: (buffer: ArrayBuffer) => void = () => {};

  constructor(
    private readonly ctx: BindingContext,
    private readonly ref: MonitorRef,
  ) {
    const s = ctx.settings;
    this.settings = {
      deadlineMs: s.deadlineMs ?? 1000,
      maxRestarts: s.maxRestarts ?? 5,
      maxQueued: s.maxQueued ?? 200_000,
      maxQueuedBytes: s.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES,
      flushMs: s.flushMs ?? 100,
      maxHeapMb: s.maxHeapMb ?? 64,
      isolate: s.isolate ?? 'worker',
    };
    // An infinite deadline turns hang detection off; the load limit is still watched.
    const d = this.settings.deadlineMs;
    const tick = Number.isFinite(d) ? Math.max(10, d / 4) : 1000;
    this.watchdog = setInterval(() => this.check(tick), tick);
    this.watchdog.unref();
    this.start();
  }

  /** Events refused while backed up since the acknowledgements were last read synchronously. */
  private refused = 0;

  /** True while batches can be sent; false during restarts, after giving up, or when backed up. */
  get accepting(): boolean {
    if (this.host === null) return false;
    if (this.hasRoom()) return true;
    // The host's acknowledgements reach the 'message' listener only at a turn of the event loop;
    // a program that runs long without one would drop everything once the queue filled, however
    // fast the host. They are read here, at the first event refused and every ACKS_READ_EVERY-th after it.
    if (this.refused++ % ACKS_READ_EVERY !== 0 || this.host.receiveAcks === undefined) return false;
    this.host.receiveAcks();
    return this.hasRoom();
  }

  private hasRoom(): boolean {
    return this.queued < this.settings.maxQueued && this.queuedBytes < this.settings.maxQueuedBytes;
  }

  /** Resolves when a host has first loaded the monitor, or first died trying. */
  whenReady(): Promise<void> {
    return this.loaded.promise;
  }

  nextSeq(): number {
    return ++this.seq;
  }

  /** Posts a batch; `bytes` is what it holds (records and copies), counted until the host acknowledges it. */
  send(batch: Batch, bytes: number): void {
    this.unflushed.push([batch.seq, batch.events]);
    this.inflight.push([batch.seq, batch.events, bytes]);
    this.queued += batch.events;
    this.queuedBytes += bytes;
    this.host!.post({ type: 'batch', batch }, [batch.buffer]);
  }

  /** Asks the host to flush its last results; resolves when they are delivered or the host is gone. */
  close(): Promise<void> {
    const host = this.host;
    if (host === null) {
      this.stop();
      return Promise.resolve();
    }
    host.ref();
    return new Promise<void>((resolve) => {
      const seq = this.seq;
      this.closing = { seq, resolve };
      host.post({ type: 'close', seq });
    }).then(() => this.stop());
  }

  /**
   * Delivers what was posted and the monitor's last flush synchronously, for an `exit`
   * handler where no later turn comes. Waits while the host makes progress: at most
   * `deadlineMs` without a message (STARTUP_MS while it loads); silence past that is a
   * hang. A process host cannot be read synchronously: what it holds stays in flight.
   */
  drainSync(): void {
    const host = this.host;
    if (host === null || host.receiveUntil === undefined) return;
    let closed = false;
    const earlier = this.closing;
    this.closing = {
      seq: this.seq,
      resolve: () => {
        closed = true;
        earlier?.resolve();
      },
    };
    host.post({ type: 'close', seq: this.seq });
    const limit = (): number => (this.ready ? this.settings.deadlineMs : this.startupMs);
    if (!host.receiveUntil(() => closed, limit)) {
      const code = host.exitCode?.() ?? null;
      if (code !== null) this.died('crash', `monitor worker exited with code ${code}`);
      else this.died('hang', `monitor did not finish within ${this.settings.deadlineMs} ms when the program exited`);
    }
    this.stop();
  }

  private get startupMs(): number {
    return Math.max(STARTUP_MS, this.settings.deadlineMs);
  }

  private stop(): void {
    this.stopped = true;
    this.loaded.resolve();
    clearInterval(this.watchdog);
    this.generation++;
    this.host?.kill();
    this.host = null;
  }

  private start(): void {
    const gen = ++this.generation;
    const data = { monitorUrl: monitorUrl(this.ref), options: this.ref.options, flushMs: this.settings.flushMs };
    const onMessage = (m: MessageFromHost): void => {
      if (gen === this.generation) this.onMessage(m);
    };
    const onDeath = (kind: Kind, error: string): void => {
      if (gen === this.generation) this.died(kind, error);
    };
    this.host =
      this.settings.isolate === 'process'
        ? processHost(data, this.settings.maxHeapMb, onMessage, onDeath)
        : workerHost(data, this.settings.maxHeapMb, onMessage, onDeath);
    this.acked = this.seq;
    this.ready = false;
    this.startedAt = this.lastProgress = this.lastTick = Date.now();
    this.onRestart();
  }

  private onMessage(m: MessageFromHost): void {
    this.lastProgress = Date.now();
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.onReady(m.timestamps);
        this.loaded.resolve();
        break;
      case 'ack':
        this.refused = 0;
        this.acked = m.through;
        while (this.inflight.length > 0 && this.inflight[0]![0] <= m.through) {
          const [, events, bytes] = this.inflight.shift()!;
          this.queued -= events;
          this.queuedBytes -= bytes;
        }
        if (m.buffer !== undefined) this.onBuffer(m.buffer);
        break;
      case 'flush':
        this.covered(m.through);
        if (m.result !== undefined) this.ctx.onFlush(m.result);
        break;
      case 'closed':
        this.covered(m.through);
        if (m.result !== undefined) this.ctx.onFlush(m.result);
        if (this.closing !== null) this.closing.resolve();
        break;
      case 'fault':
        this.fault('throw', m.error, m.faults - this.thrown);
        this.thrown = m.faults;
        break;
      case 'load-error':
        // The module threw or was not found: a new host would fail the same way (shm gives up too).
        this.died('load', m.error, false);
        break;
      case 'crash':
        this.died('crash', m.error);
        break;
      default:
        break;
    }
  }

  private thrown = 0;

  private covered(through: number): void {
    let i = 0;
    while (i < this.unflushed.length && this.unflushed[i]![0] <= through) i++;
    if (i > 0) this.unflushed.splice(0, i);
  }

  private check(tick: number): void {
    const now = Date.now();
    // A late tick means this thread was busy: the host's replies may still be queued.
    const late = now - this.lastTick > 2 * tick;
    this.lastTick = now;
    if (!this.ready && this.host !== null) {
      if (now - this.startedAt > this.startupMs) this.died('load', `monitor did not load within ${this.startupMs} ms`);
      return;
    }
    if (late || this.host === null || this.acked >= this.seq) {
      this.lastProgress = now;
      return;
    }
    if (now - this.lastProgress > this.settings.deadlineMs) {
      this.died('hang', `monitor did not finish a batch within ${this.settings.deadlineMs} ms`);
    }
  }

  private died(kind: Kind, error: string, restartable = true): void {
    this.loaded.resolve();
    this.generation++;
    this.host?.kill();
    this.host = null;
    for (const [, events] of this.unflushed) this.drops += events;
    this.unflushed = [];
    this.inflight = [];
    this.queued = 0;
    this.queuedBytes = 0;
    this.acked = this.seq;
    if (this.closing !== null) {
      this.fault(kind, error, 1);
      this.closing.resolve();
      return;
    }
    const retry = restartable && this.restarts < this.settings.maxRestarts;
    if (retry) this.restarts++;
    else this.gaveUp = true;
    this.fault(kind, error, 1);
    if (!retry) return;
    const delay = Math.min(2000, 25 * 2 ** this.restarts);
    setTimeout(() => {
      if (!this.stopped && this.closing === null && this.host === null) this.start();
    }, delay).unref();
  }

  private fault(kind: Kind, error: string, n: number): void {
    this.faults += n;
    reportFault({
      linkId: this.ctx.linkId,
      description: this.ctx.description,
      error,
      faults: this.faults,
      kind,
      restarts: this.restarts,
      gaveUp: this.gaveUp,
    });
  }
}

type BindingContextSettings = BindingContext['settings'];
type HostData = { monitorUrl: string; options: unknown; flushMs: number };

function workerHost(data: HostData, heapMb: number, onMessage: (m: MessageFromHost) => void, onDeath: (k: Kind, e: string) => void): Host {
  const port = new HostPort<MessageFromHost>(onMessage);
  const w: Worker = startWorker(hostUrl('message-host'), data, {
    port: port.remote,
    signal: port.signal,
    resourceLimits: heapLimits(heapMb),
  });
  let lastError = '';
  w.on('error', (e: Error & { code?: string }) => {
    lastError = `${e.name}: ${e.message}`;
    if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') onDeath('memory', lastError);
  });
  w.on('exit', (code) => onDeath('crash', lastError || `monitor worker exited with code ${code}`));
  return {
    post: (m, transfer) => port.post(m, transfer),
    kill: () => void w.terminate(),
    ref: () => w.ref(),
    unref: () => w.unref(),
    receiveUntil: (done, limitMs) => port.receiveUntil(done, limitMs),
    receiveAcks: () => port.receiveNow(isAck, MAX_ACKS_READ),
    exitCode: () => port.exitCode,
  };
}

const isAck = (m: MessageFromHost): boolean => m.type === 'ack';
/** Of the events refused while the queue is full, those at which the acknowledgements are read synchronously: one in this many. */
const ACKS_READ_EVERY = 1024;
/** Messages read at one refused event: more than a full queue's batches send acknowledgements. */
const MAX_ACKS_READ = 1024;

/** A monitor host's heap limit: past it the worker ends with ERR_WORKER_OUT_OF_MEMORY, the program lives on. */
export function heapLimits(heapMb: number): { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number } {
  return { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.max(4, heapMb / 8) };
}

const OUT_OF_MEMORY = /[^\n]*(?:heap out of memory|allocation failed)[^\n]*/i;

function processHost(data: HostData, heapMb: number, onMessage: (m: MessageFromHost) => void, onDeath: (k: Kind, e: string) => void): Host {
  const child: ChildProcess = startProcess(hostUrl('message-host'), data, heapMb);
  let stderr = '';
  // V8's out-of-memory line comes before a native stack that can outgrow the kept tail: latch it.
  let oomLine: string | null = null;
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    const joined = stderr + s;
    oomLine ??= OUT_OF_MEMORY.exec(joined)?.[0] ?? null;
    stderr = joined.slice(-2000);
  });
  // A read pipe holds the event loop like a socket: unreferenced, or a program that never unlinks never exits.
  (child.stderr as Socket).unref();
  child.on('message', (m) => onMessage(m as MessageFromHost));
  child.channel?.unref();
  child.on('error', () => {});
  child.on('exit', (code, signal) => {
    const last = oomLine ?? (stderr ? lastLine(stderr) : '');
    const why = `monitor process exited with ${signal ?? `code ${code}`}${last ? `: ${last}` : ''}`;
    onDeath(oomLine !== null ? 'memory' : 'crash', why);
  });
  child.send({ type: 'init', ...data } satisfies MessageToHost);
  return {
    post: (m) => {
      if (child.connected) child.send(m);
    },
    kill: () => void child.kill('SIGKILL'),
    ref: () => {
      child.ref();
      child.channel?.ref();
    },
    unref: () => {
      child.unref();
      child.channel?.unref();
    },
  };
}

function lastLine(s: string): string {
  const lines = s.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

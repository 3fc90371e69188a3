import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { hostSender } from './host-port.js';
import { RecordReader } from '../bindings/record-reader.js';
import type { RecordViews } from '../bindings/record-writer.js';
import { MonitorSet } from './monitor-set.js';
import type { Batch, MessageFromHost, MessageToHost } from './protocol.js';

/**
 * The message-binding host, in an isolated worker or a child process. It folds batches in
 * order, acknowledges each, and flushes every `flushMs`; each flush says which batch it
 * covers, so that the application side can count exactly what a crash lost.
 */
type Send = (m: MessageFromHost, transfer?: ArrayBuffer[]) => void;
type WorkerData = { monitorUrl: string; options: unknown; flushMs: number; port: MessagePort; signal: Int32Array };

const wd = parentPort !== null ? (workerData as WorkerData) : null;
const send: Send = wd !== null ? hostSender(wd.port, wd.signal) : (m) => process.send!(m);
const reader = new RecordReader();
let monitors: MonitorSet | null = null;
let through = 0;
let faultsReported = 0;
const early: MessageToHost[] = [];

function views(b: Batch): RecordViews {
  const buffer = b.buffer;
  return {
    i32: new Int32Array(buffer),
    f64: new Float64Array(buffer),
    i64: new BigInt64Array(buffer),
    u8: Buffer.from(buffer),
  };
}

function fold(b: Batch): void {
  const v = views(b);
  const m = monitors!;
  for (let at = 0; at < b.words;) {
    const words = v.i32[at]!;
    const ev = reader.read(v, at, b.objects);
    if (ev !== null) m.handle(ev.link, ev);
    at += words;
  }
  through = b.seq;
  // A worker hands the buffer back (its views here are not used again): the application
  // thread then fills it again instead of allocating and zeroing 64 KiB per batch.
  if (wd !== null) send({ type: 'ack', through, buffer: b.buffer }, [b.buffer]);
  else send({ type: 'ack', through });
  if (m.faults !== faultsReported) {
    faultsReported = m.faults;
    send({ type: 'fault', faults: m.faults, error: describe(m.lastError) });
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function flushAll(): void {
  for (const [, result] of monitors!.flushAll()) send({ type: 'flush', through, result });
}

function onMessage(m: MessageToHost): void {
  if (m.type === 'init') return void start(m.monitorUrl, m.options, m.flushMs);
  if (monitors === null) return void early.push(m);
  if (m.type === 'batch') fold(m.batch);
  else if (m.type === 'close') {
    const results = monitors.flushAll();
    const seq = m.seq;
    // Answered after the monitor's queued microtasks, as in shm-host: a crash they hold is seen first.
    queueMicrotask(() => send({ type: 'closed', seq, through, result: results.length > 0 ? results[0]![1] : undefined }));
  }
}

function start(url: string, options: unknown, flushMs: number): void {
  const set = new MonitorSet(url, options);
  set.load().then(
    () => {
      monitors = set;
      send({ type: 'ready', timestamps: set.readsTimestamps });
      for (const m of early.splice(0)) onMessage(m);
      setInterval(flushAll, flushMs).unref();
    },
    (error: unknown) => send({ type: 'load-error', error: describe(error) }),
  );
}

process.on('uncaughtExceptionMonitor', (error) => send({ type: 'crash', error: describe(error) }));
if (wd !== null) {
  wd.port.on('message', onMessage);
  start(wd.monitorUrl, wd.options, wd.flushMs);
} else {
  process.on('message', (m) => onMessage(m as MessageToHost));
  process.on('disconnect', () => process.exit(0));
}

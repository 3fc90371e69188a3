import { workerData, type MessagePort } from 'node:worker_threads';
import { hostSender } from './host-port.js';
import { CONTROL_WORDS } from '../../core/record.js';
import { ShmRing } from '../bindings/shm-ring.js';
import { RecordReader } from '../bindings/record-reader.js';
import { MonitorSet } from './monitor-set.js';
import type { ShmToHost } from './protocol.js';

/**
 * The shared-memory consumer: drains the ring into one monitor instance per link, posts
 * flush results every `flushMs` and on request. Polls: producers never notify, so the
 * application thread never pays for a wake-up.
 */
const data = workerData as {
  ring: SharedArrayBuffer;
  monitorUrl: string;
  options: unknown;
  flushMs: number;
  port: MessagePort;
  signal: Int32Array;
};
const ring = new ShmRing(data.ring);
const reader = new RecordReader();
const monitors = new MonitorSet(data.monitorUrl, data.options);
const send = hostSender(data.port, data.signal);
const IDLE_MS = 1;
const CHUNK = 4096;
/** Ring words touched per poll until all are (ShmRing#prefault): 1 MiB, about 4 ms on this VM, between drains. */
const PREFAULT_WORDS = 1 << 18;
let prefaulted = CONTROL_WORDS;
const faultsReported = new Map<number, number>();

function visit(r: ShmRing, index: number): void {
  const ev = reader.read(r, index);
  if (ev !== null) monitors.handle(ev.link, ev);
}

function drainAll(): void {
  while (ring.drain(visit, CHUNK) !== 0);
  reportFaults();
}

function reportFaults(): void {
  for (const [link, faults] of monitors.linkFaults) {
    if (faultsReported.get(link) === faults) continue;
    faultsReported.set(link, faults);
    send({ type: 'fault', link, faults, error: describe(monitors.lastError) });
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function poll(): void {
  const n = ring.drain(visit, CHUNK);
  // The application thread would otherwise pay each page's first touch; done between drains
  // so that a small ring filling at start-up is still read, and only once the backlog is
  // read: a step takes about 4 ms, and taking one per chunk held a flood to ~1 M events/s.
  const faulting = prefaulted < ring.i32.length;
  if (faulting && n < CHUNK) prefaulted = ring.prefault(prefaulted, PREFAULT_WORDS);
  if (n === CHUNK || faulting) setImmediate(poll);
  else setTimeout(poll, IDLE_MS);
}

function flushAll(): void {
  for (const [link, result] of monitors.flushAll()) send({ type: 'flush', link, result, events: monitors.handled(link) });
}

const early: ShmToHost[] = [];
let loaded = false;

function onMessage(m: ShmToHost): void {
  if (!loaded) return void early.push(m);
  if (m.type === 'close') {
    drainAll();
    const events = monitors.handled(m.link);
    const result = monitors.remove(m.link);
    send({ type: 'closed', link: m.link, seq: m.seq, result, events });
  } else if (m.type === 'flush') {
    drainAll();
    flushAll();
    // Answered once the monitor's own queued work (microtasks) has run: a crash it
    // scheduled while handling the last events is seen before the drain says done.
    const seq = m.seq;
    queueMicrotask(() => send({ type: 'flushed', seq }));
  }
}

data.port.on('message', onMessage);
process.on('uncaughtExceptionMonitor', (error) => send({ type: 'crash', error: describe(error) }));

monitors.load().then(
  () => {
    loaded = true;
    send({ type: 'ready', timestamps: monitors.readsTimestamps });
    for (const m of early.splice(0)) onMessage(m);
    poll();
    setInterval(() => {
      drainAll();
      flushAll();
    }, data.flushMs);
  },
  (error: unknown) => send({ type: 'load-error', error: String(error) }),
);

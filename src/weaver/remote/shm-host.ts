import { parentPort, workerData } from 'node:worker_threads';
import { ShmRing } from '../bindings/shm-ring.js';
import { RecordReader } from '../bindings/record-reader.js';
import { MonitorSet } from './monitor-set.js';
import type { ShmToHost } from './protocol.js';

/**
 * The shared-memory consumer: drains the ring into one monitor instance per link, posts
 * flush results every `flushMs` and on request. Polls: producers never notify, so the
 * application thread never pays for a wake-up.
 */
const data = workerData as { ring: SharedArrayBuffer; monitorUrl: string; options: unknown; flushMs: number };
const ring = new ShmRing(data.ring);
const reader = new RecordReader();
const monitors = new MonitorSet(data.monitorUrl, data.options);
const port = parentPort!;
const IDLE_MS = 1;
const CHUNK = 4096;
let faultsReported = 0;

function visit(r: ShmRing, index: number): void {
  const ev = reader.read(r, index);
  if (ev !== null) monitors.handle(ev.link, ev);
}

function drainAll(): void {
  while (ring.drain(visit, CHUNK) !== 0);
  reportFaults();
}

function reportFaults(): void {
  if (monitors.faults === faultsReported) return;
  faultsReported = monitors.faults;
  port.postMessage({ type: 'fault', faults: monitors.faults, error: String(monitors.lastError) });
}

function poll(): void {
  const n = ring.drain(visit, CHUNK);
  if (n === CHUNK) setImmediate(poll);
  else setTimeout(poll, IDLE_MS);
}

function flushAll(): void {
  for (const [link, result] of monitors.flushAll()) port.postMessage({ type: 'flush', link, result });
}

const early: ShmToHost[] = [];
let loaded = false;

function onMessage(m: ShmToHost): void {
  if (!loaded) return void early.push(m);
  if (m.type === 'close') {
    drainAll();
    const result = monitors.remove(m.link);
    port.postMessage({ type: 'closed', link: m.link, seq: m.seq, result });
  } else if (m.type === 'flush') {
    drainAll();
    flushAll();
    port.postMessage({ type: 'flushed', seq: m.seq });
  }
}

port.on('message', onMessage);

monitors.load().then(
  () => {
    loaded = true;
    port.postMessage({ type: 'ready' });
    for (const m of early.splice(0)) onMessage(m);
    poll();
    setInterval(() => {
      drainAll();
      flushAll();
    }, data.flushMs);
  },
  (error: unknown) => port.postMessage({ type: 'load-error', error: String(error) }),
);

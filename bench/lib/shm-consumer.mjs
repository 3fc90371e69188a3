// Times the shm consumer's side on one thread: fill a ring with the records the bindings
// benchmark's counting link writes (an entry, no arguments, no time fields), then drain it, either only stepping over the records or
// decoding each and handing it to the counting monitor, as dist/weaver/remote/shm-host.js does.
import { ShmRing } from '../../dist/weaver/bindings/shm-ring.js';
import { RecordWriter } from '../../dist/weaver/bindings/record-writer.js';
import { RecordReader } from '../../dist/weaver/bindings/record-reader.js';
import { ProbeEvent, registry } from '../../dist/core/index.js';
import { createMonitor } from '../fixtures/counting-monitor.mjs';

const probe = registry.register('fn', 'bench', 'fold', 'entry');

function fill(ring, writer) {
  const def = writer.defWords(probe);
  const at = ring.reserve(def);
  writer.writeDef(ring, at, probe, 0);
  ring.commit(at, def);
  const ev = new ProbeEvent(probe);
  const words = writer.recordWords(ev);
  let n = 0;
  for (;;) {
    const i = ring.reserve(words);
    if (i < 0) return n;
    writer.writeEvent(ring, i, ev, 1);
    ring.commit(i, words);
    n++;
  }
}

/** Returns ns per event for one drain of a full ring; the fastest of three fills. */
export function timeConsumer(decode, ringBytes) {
  const ring = new ShmRing(ShmRing.allocate(ringBytes, true));
  const writer = new RecordWriter();
  // The counting monitor reads no time (its readsTimestamps).
  writer.timestamps = false;
  const reader = new RecordReader();
  const monitor = createMonitor();
  let walked = 0;
  const visit = decode
    ? (r, index) => {
        const ev = reader.read(r, index);
        if (ev !== null) monitor.handle(ev);
      }
    : () => void walked++;
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const n = fill(ring, writer);
    const t0 = process.hrtime.bigint();
    // The host drains in chunks between polls; chunking costs nothing measurable here.
    while (ring.drain(visit, 4096) !== 0);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / n);
  }
  const seen = decode ? monitor.flush() : walked;
  if (seen === 0) throw new Error('bindings bench: the consumer saw no events');
  return best;
}

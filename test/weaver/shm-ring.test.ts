import { test } from 'node:test';
import assert from 'node:assert/strict';
import { threadId, type Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { ShmRing } from '../../src/weaver/bindings/shm-ring.js';
import { startWorker } from '../../src/weaver/remote/spawn.js';
import { readTestRecord, writeTestRecord, type TestRecord } from '../fixtures/weaver/ring-records.js';

const sizeArb = fc.integer({ min: 2, max: 40 }).map((n) => n * 2);
/** Both kinds of ring: reserved by compare-and-swap (any number of producers), and claimed by its one producer. */
const KINDS = [
  { kind: 'many-producer', one: false },
  { kind: 'one-producer', one: true },
] as const;

for (const { kind, one } of KINDS) {
  test(`${kind} ring, one producer: every accepted record is read once, in order, intact; refusals are counted drops`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom(256, 512, 1024),
        fc.array(fc.oneof(sizeArb, fc.constant(0)), { minLength: 1, maxLength: 400 }),
        (bytes, ops) => {
          const ring = new ShmRing(ShmRing.allocate(bytes, one));
          const expected: number[] = [];
          const got: TestRecord[] = [];
          let refused = 0;
          let seq = 0;
          const drain = (): void => {
            ring.drain((r, at, words) => got.push(readTestRecord(r, at, words)));
          };
          for (const op of ops) {
            if (op === 0) {
              drain();
              continue;
            }
            const pending = ring.pending();
            const pos = ring.writeMark() & (ring.capacity - 1);
            const need = op <= ring.capacity - pos ? op : ring.capacity - pos + op;
            if (writeTestRecord(ring, 1, seq, op)) expected.push(seq);
            else {
              refused++;
              assert.ok(pending + need > ring.capacity, 'refused although the record fit');
            }
            seq++;
          }
          drain();
          assert.deepEqual(
            got.map((r) => r.seq),
            expected,
          );
          assert.ok(got.every((r) => r.intact));
          assert.equal(ring.pending(), 0);
          assert.equal(ring.totalDrops(), refused);
          if (refused > 0) assert.deepEqual(ring.drops(), [{ tid: threadId, drops: refused }]);
        },
      ),
      { numRuns: 300 },
    );
  });

  test(`${kind} ring, wrap-around: records of every even size from 4 words to half the ring cross the end intact`, () => {
    const ring = new ShmRing(ShmRing.allocate(1024, one));
    let seq = 0;
    let wraps = 0;
    for (let words = 4; words <= ring.capacity / 2; words += 2) {
      for (let k = 0; k < 5; k++) {
        const before = ring.writeMark() & (ring.capacity - 1);
        assert.ok(writeTestRecord(ring, 2, seq, words));
        if ((ring.writeMark() & (ring.capacity - 1)) < before) wraps++;
        let n = 0;
        ring.drain((r, at, w) => {
          const rec = readTestRecord(r, at, w);
          assert.deepEqual(rec, { producer: 2, seq, words, intact: true });
          n++;
        });
        assert.equal(n, 1);
        seq++;
      }
    }
    assert.ok(wraps > 10, `expected many wraps, saw ${wraps}`);
  });

  test(`${kind} ring: a record larger than the ring is dropped, never written`, () => {
    const ring = new ShmRing(ShmRing.allocate(256, one));
    assert.equal(writeTestRecord(ring, 1, 0, ring.capacity + 2), false);
    assert.equal(ring.totalDrops(), 1);
    assert.equal(ring.pending(), 0);
  });
}

/** The worker's next message; rejects on its error. */
function reply(w: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    w.once('error', onError);
    w.once('message', (m: unknown) => {
      w.off('error', onError);
      resolve(m);
    });
  });
}
test('an unpublished record stops the consumer until it is committed', () => {
  const ring = new ShmRing(ShmRing.allocate(256));
  const at = ring.reserve(8);
  assert.ok(writeTestRecord(ring, 1, 1, 8));
  assert.equal(
    ring.drain(() => assert.fail('read past an unpublished record')),
    0,
  );
  ring.i32[at + 1] = 1;
  ring.i32[at + 2] = 0;
  ring.i32[at + 3] = 1;
  for (let i = 4; i < 8; i++) ring.i32[at + i] = (0 * 31 + i * 7 + 1) | 0;
  ring.i32[at + 3] = [4, 5, 6, 7].reduce((s, i) => (s + ((i * 7 + 1) | 0)) | 0, 1 ^ 0);
  ring.commit(at, 8);
  const seqs: number[] = [];
  ring.drain((r, a, w) => {
    const rec = readTestRecord(r, a, w);
    assert.ok(rec.intact);
    seqs.push(rec.seq);
  });
  assert.deepEqual(seqs, [0, 1]);
});

test('concurrent producers on real worker threads: no torn, duplicated or reordered record; losses are counted', async () => {
  const producers = 3;
  const count = 3000;
  // Three producer threads serve every run (a fresh ring each): a thread start costs far more than a run.
  const workers = Array.from({ length: producers }, (_, p) =>
    startWorker(new URL('../fixtures/weaver/ring-producer.ts', import.meta.url), { monitorUrl: '', options: null, producer: p }),
  );
  try {
    await Promise.all(workers.map(reply));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(4096, 16384), fc.array(sizeArb, { minLength: 1, maxLength: 8 }), async (bytes, sizes) => {
        const ring = new ShmRing(ShmRing.allocate(bytes));
        const got: TestRecord[] = [];
        const results = workers.map((w) => {
          const r = reply(w) as Promise<{ written: number }>;
          w.postMessage({ sab: ring.sab, count, sizes });
          return r.then((m) => m.written);
        });
        // As the shm host does while producers already write: touching the pages tears nothing.
        ring.prefault();
        let done = false;
        const all = Promise.all(results).then((r) => {
          done = true;
          return r;
        });
        while (!done) {
          ring.drain((r, at, w) => got.push(readTestRecord(r, at, w)));
          await new Promise((r) => setImmediate(r));
        }
        const written = await all;
        ring.drain((r, at, w) => got.push(readTestRecord(r, at, w)));
        assert.ok(
          got.every((r) => r.intact),
          'torn record',
        );
        for (let p = 0; p < producers; p++) {
          const seqs = got.filter((r) => r.producer === p).map((r) => r.seq);
          assert.equal(seqs.length, written[p]);
          for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!, 'duplicated or reordered');
        }
        const drops = ring.drops();
        assert.equal(got.length + ring.totalDrops(), producers * count);
        assert.ok(
          drops.every((d) => d.tid !== threadId),
          'drops are charged to the producing thread',
        );
      }),
      { numRuns: 6 },
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
});

test('one-producer ring: a reserved record is not read until committed; the records before it are', () => {
  const ring = new ShmRing(ShmRing.allocate(256, true));
  assert.ok(writeTestRecord(ring, 1, 0, 8));
  const at = ring.reserve(8);
  assert.ok(at >= 0);
  const seqs: number[] = [];
  const read = (): number =>
    ring.drain((r, a, w) => {
      const rec = readTestRecord(r, a, w);
      assert.ok(rec.intact);
      seqs.push(rec.seq);
    });
  assert.equal(read(), 1);
  assert.equal(read(), 0, 'read a reserved record before its commit');
  ring.i32[at + 1] = 1;
  ring.i32[at + 2] = 1;
  let sum = 1 ^ 1;
  for (let i = 4; i < 8; i++) sum = (sum + (ring.i32[at + i] = (31 + i * 7 + 1) | 0)) | 0;
  ring.i32[at + 3] = sum;
  ring.commit(at, 8);
  assert.equal(read(), 1);
  assert.deepEqual(seqs, [0, 1]);
});

test('one-producer ring: the first instance to reserve owns it; a second producer is refused with a typed error', () => {
  const sab = ShmRing.allocate(256, true);
  const owner = new ShmRing(sab);
  const consumer = new ShmRing(sab);
  assert.ok(writeTestRecord(owner, 1, 0, 8));
  const intruder = new ShmRing(sab);
  assert.throws(() => intruder.reserve(8), { code: 'MSCOPE_BAD_BINDING', message: /one producer \(thread \d+\)/ });
  assert.ok(writeTestRecord(owner, 1, 1, 8));
  const seqs: number[] = [];
  consumer.drain((r, a, w) => seqs.push(readTestRecord(r, a, w).seq));
  assert.deepEqual(seqs, [0, 1]);
  // A ring for many producers is never claimed: any number of instances reserve on it.
  const shared = ShmRing.allocate(256);
  assert.ok(writeTestRecord(new ShmRing(shared), 1, 0, 8));
  assert.ok(writeTestRecord(new ShmRing(shared), 2, 0, 8));
});

test('one-producer ring on a worker thread, slow consumer: no torn, duplicated or reordered record across wraps; losses are counted', async () => {
  const count = 5000;
  const worker = startWorker(new URL('../fixtures/weaver/ring-producer.ts', import.meta.url), {
    monitorUrl: '',
    options: null,
    producer: 7,
  });
  try {
    await reply(worker);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1024, 4096),
        fc.array(sizeArb, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 64 }),
        async (bytes, sizes, perDrain) => {
          const ring = new ShmRing(ShmRing.allocate(bytes, true));
          const got: TestRecord[] = [];
          let done = false;
          const result = (reply(worker) as Promise<{ written: number }>).then((m) => {
            done = true;
            return m.written;
          });
          worker.postMessage({ sab: ring.sab, count, sizes });
          ring.prefault();
          // A consumer that reads a few records at a time: the producer laps it and drops.
          while (!done) {
            ring.drain((r, at, w) => got.push(readTestRecord(r, at, w)), perDrain);
            await new Promise((r) => setImmediate(r));
          }
          const written = await result;
          ring.drain((r, at, w) => got.push(readTestRecord(r, at, w)));
          assert.ok(
            got.every((r) => r.intact && r.producer === 7),
            'torn record',
          );
          assert.deepEqual(
            got.map((r) => r.seq),
            [...got.map((r) => r.seq)].sort((a, b) => a - b),
            'reordered',
          );
          assert.equal(new Set(got.map((r) => r.seq)).size, got.length, 'duplicated');
          assert.equal(got.length, written);
          assert.equal(got.length + ring.totalDrops(), count);
          assert.equal(ring.pending(), 0);
        },
      ),
      { numRuns: 6 },
    );
  } finally {
    await worker.terminate();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProbeEvent, registry } from '../../src/core/index.js';
import { RecordWriter, type RecordViews } from '../../src/weaver/bindings/record-writer.js';
import { RecordReader, Unsupported } from '../../src/weaver/bindings/record-reader.js';

const entry = registry.register('fn', 'records-test', 'f', 'entry');
const ret = registry.register('fn', 'records-test', 'f', 'return');
const SENTINEL = 0x5a5a5a5a;
const AT = 2;

function views(words: number): RecordViews {
  const buffer = new ArrayBuffer(words * 4);
  const i32 = new Int32Array(buffer);
  i32.fill(SENTINEL);
  return { i32, f64: new Float64Array(buffer), i64: new BigInt64Array(buffer), u8: Buffer.from(buffer) };
}

/** Encodes `ev` at word AT as the shm binding does; fails if the writer touched a word past its reservation. */
function roundTrip(writer: RecordWriter, ev: ProbeEvent, link = 9) {
  const v = views(4096);
  const reader = new RecordReader();
  const def = writer.defWords(ev.probe);
  writer.writeDef(v, AT, ev.probe, ev.tid);
  v.i32[AT] = def;
  assert.equal(reader.read(v, AT), null);
  const at = AT + def;
  const words = writer.recordWords(ev);
  writer.writeEvent(v, at, ev, link);
  v.i32[at] = words;
  for (let i = at + words; i < v.i32.length; i++) assert.equal(v.i32[i], SENTINEL, `wrote word ${i - at} of a ${words}-word record`);
  const out = reader.read(v, at);
  assert.ok(out !== null);
  return { out, words };
}

const valueArb = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  fc.bigInt({ min: 1n << 63n, max: 1n << 80n }),
  fc.constant({ an: 'object' }),
  fc.constant(() => 1),
);

/** What the shm binding delivers for a value it copies. */
function shipped(x: unknown): unknown {
  if (typeof x === 'function') return new Unsupported('function');
  if (typeof x === 'object' && x !== null) return new Unsupported('object');
  return x;
}

test('records: an event round-trips through writer and reader, timed or not, and never writes past the words it asked for', () => {
  fc.assert(
    fc.property(
      fc.array(valueArb, { maxLength: 6 }),
      fc.boolean(),
      fc.option(valueArb, { nil: undefined }),
      fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
      (args, timed, retval, message) => {
        const writer = new RecordWriter(4096);
        writer.timestamps = timed;
        const start = new ProbeEvent(entry, args);
        start.timestamp = 1000;
        const ev = new ProbeEvent(retval === undefined && message === undefined ? entry : ret, args);
        ev.timestamp = 1000 + 1;
        if (ev.probe === ret) {
          ev.entry = start;
          ev.retval = retval;
          if (message !== undefined) ev.error = new TypeError(message);
        }
        ev.activity = 42;
        const { out, words } = roundTrip(writer, ev);
        assert.equal(out.probe.func, 'f');
        assert.equal(out.probe.name, ev.probe.name);
        assert.equal(out.tid, ev.tid);
        assert.equal(out.activity, 42);
        assert.equal(out.link, 9);
        assert.deepEqual(out.args, args.map(shipped));
        assert.deepEqual(out.retval, shipped(ev.retval));
        assert.equal(out.error, message === undefined ? undefined : `TypeError: ${message}`);
        assert.equal(out.timestamp, timed ? ev.timestamp : 0);
        assert.equal(out.elapsed, timed && ev.entry !== null ? 1 : 0);
        if (!timed && args.length === 0 && ev.probe === entry) assert.equal(words, 8, 'an untimed event without values is 8 words');
      },
    ),
    { numRuns: 500 },
  );
});

test('records: an error whose message reads longer the second time still fits the words reserved for it', () => {
  let reads = 0;
  const error = new Error('');
  Object.defineProperty(error, 'message', { get: () => 'x'.repeat(++reads * 40) });
  const ev = new ProbeEvent(ret, []);
  ev.error = error;
  const { out } = roundTrip(new RecordWriter(4096), ev);
  assert.equal(out.error, `Error: ${'x'.repeat(40)}`);
  assert.equal(reads, 1);
});

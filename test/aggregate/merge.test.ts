import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { aggregationFromSnapshot, createAggregation, type AggValue, type Aggregation, type KeyValue } from '../../src/aggregate/index.js';

type Op = { key: KeyValue[]; value: AggValue; incr: number };

const DECLS: [string, number[]][] = [
  ['count', []],
  ['sum', []],
  ['avg', []],
  ['stats', []],
  ['min', []],
  ['max', []],
  ['stddev', []],
  ['quantize', []],
  ['lquantize', [-50, 50, 10]],
  ['llquantize', [10, 0, 3, 20]],
];

const keyElem = fc.oneof(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: -2, max: 2 }), fc.constantFrom(1n << 60n, 3n));
const value = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 40),
  fc.bigInt({ min: -(1n << 62n), max: 1n << 62n }),
);
const op = (arity: number) =>
  fc.record({ key: fc.array(keyElem, { minLength: arity, maxLength: arity }), value, incr: fc.integer({ min: -3, max: 5 }) });
const ops = (arity: number) => fc.array(op(arity), { maxLength: 25 });

function build(fn: string, params: number[], list: Op[]): Aggregation {
  const a = createAggregation('x', fn, params);
  for (const o of list) a.record(o.key, o.value, o.incr);
  return a;
}

function merged(fn: string, params: number[], ...parts: Aggregation[]): Aggregation {
  const out = createAggregation('x', fn, params);
  for (const p of parts) out.merge(p.snapshot());
  return out;
}

const json = (a: Aggregation): string => JSON.stringify(a.snapshot());

for (const [fn, params] of DECLS) {
  test(`${fn}: merge is commutative, associative, and equals recording everything in one place`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }).chain((arity) => fc.tuple(ops(arity), ops(arity), ops(arity))),
        ([x, y, z]) => {
          const [a, b, c] = [build(fn, params, x), build(fn, params, y), build(fn, params, z)];
          assert.equal(json(merged(fn, params, a, b)), json(merged(fn, params, b, a)));
          const left = merged(fn, params, merged(fn, params, a, b), c);
          const right = merged(fn, params, a, merged(fn, params, b, c));
          assert.equal(json(left), json(right));
          assert.equal(json(left), json(build(fn, params, [...x, ...y, ...z])));
        },
      ),
      { numRuns: 150 },
    );
  });
}

test('snapshots are plain JSON and survive a round trip through JSON.stringify', () => {
  const a = createAggregation('lat', 'sum');
  a.record(['GET', 1n << 60n], 1n << 61n);
  a.record(['GET', 1n << 60n], 1n << 61n);
  const wire = JSON.parse(JSON.stringify(a.snapshot()));
  assert.deepEqual(wire.entries, [{ key: ['GET', { bigint: String(1n << 60n) }], value: [String(1n << 62n)] }]);
  const b = aggregationFromSnapshot(wire);
  b.merge(wire);
  assert.equal(JSON.stringify(b.snapshot()), JSON.stringify(a.snapshot()));
});

test('takeDelta returns what was recorded since the last delta and starts again', () => {
  const agent = createAggregation('c', 'count');
  const consumer = createAggregation('c', 'count');
  agent.record1('x');
  agent.record1('x');
  consumer.merge(agent.takeDelta());
  assert.equal(agent.size, 0);
  agent.record1('x');
  agent.record1('y');
  const d = agent.takeDelta();
  assert.deepEqual(d.entries, [
    { key: ['x'], value: [1] },
    { key: ['y'], value: [1] },
  ]);
  consumer.merge(d);
  assert.deepEqual(consumer.snapshot().entries, [
    { key: ['x'], value: [3] },
    { key: ['y'], value: [1] },
  ]);
});

test('merging a different declaration is refused', () => {
  const a = createAggregation('l', 'lquantize', [0, 10, 1]);
  const b = createAggregation('l', 'lquantize', [0, 20, 1]);
  assert.throws(() => a.merge(b.snapshot()), { code: 'MSCOPE_AGG_MISMATCH' });
  assert.throws(() => a.merge(createAggregation('l', 'count').snapshot()), { code: 'MSCOPE_AGG_MISMATCH' });
});

test('normalization merges to the larger factor whatever the order', () => {
  const a = createAggregation('s', 'sum');
  const b = createAggregation('s', 'sum');
  a.normalize(10);
  const ab = createAggregation('s', 'sum');
  ab.merge(a.snapshot());
  ab.merge(b.snapshot());
  const ba = createAggregation('s', 'sum');
  ba.merge(b.snapshot());
  ba.merge(a.snapshot());
  assert.equal(ab.normal, 10);
  assert.equal(ba.normal, 10);
});

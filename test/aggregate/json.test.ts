import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregationToJson, createAggregation } from '../../src/aggregate/index.js';
import { jsonLine } from '../../src/aggregate/json.js';

test('scalar aggregations as JSON rows in printed order; big integers as strings', () => {
  const a = createAggregation('bytes', 'sum');
  a.record(['GET', 1n << 60n], 5);
  a.record(['PUT', 2], 2n ** 62n);
  assert.deepEqual(aggregationToJson(a), {
    name: '@bytes',
    kind: 'sum',
    rows: [
      { keys: ['GET', String(1n << 60n)], value: 5 },
      { keys: ['PUT', 2], value: String(2n ** 62n) },
    ],
  });
  assert.equal(jsonLine('aggregation', { n: 1n << 60n }), `{"type":"aggregation","data":{"n":"${String(1n << 60n)}"}}\n`);
});

test('histograms list their non-empty buckets with the labels DTrace prints', () => {
  const q = createAggregation('lat', 'lquantize', [0, 30, 10]);
  q.record0(15);
  q.record0(99);
  assert.deepEqual(aggregationToJson(q).rows, [
    {
      keys: [],
      buckets: [
        { value: '10', count: 1 },
        { value: '>= 30', count: 1 },
      ],
    },
  ]);
});

test('normalize() divides histogram counts and values in JSON as in the text tables', () => {
  const q = createAggregation('q', 'quantize');
  for (let i = 0; i < 4; i++) q.record0(5);
  q.normalize(2);
  const s = createAggregation('s', 'sum');
  s.record0(10);
  s.normalize(5);
  assert.deepEqual(aggregationToJson(q).rows, [{ keys: [], buckets: [{ value: '4', count: 2 }] }]);
  assert.deepEqual(aggregationToJson(s).rows, [{ keys: [], value: 2 }]);
});

test('stats as count, average, total', () => {
  const s = createAggregation('s', 'stats');
  s.record0(1);
  s.record0(4);
  assert.deepEqual(aggregationToJson(s).rows, [{ keys: [], value: { count: 2, average: 2, total: 5 } }]);
});

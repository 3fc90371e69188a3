import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregationToJson, createAggregation } from '../../src/aggregate/index.js';

test('scalar aggregations as JSON rows in printed order; big integers as strings', () => {
  const a = createAggregation('bytes', 'sum');
  a.record(['GET', 1n << 60n], 5);
  a.record(['PUT', 2], 2n ** 62n);
  assert.deepEqual(aggregationToJson(a), {
    type: 'aggregation',
    name: 'bytes',
    kind: 'sum',
    data: [
      { key: ['GET', String(1n << 60n)], value: 5 },
      { key: ['PUT', 2], value: String(2n ** 62n) },
    ],
  });
  assert.doesNotThrow(() => JSON.stringify(aggregationToJson(a)));
});

test('histograms list the rows DTrace prints, labels included', () => {
  const q = createAggregation('lat', 'lquantize', [0, 30, 10]);
  q.record0(15);
  q.record0(99);
  assert.deepEqual(aggregationToJson(q).data, [
    {
      key: [],
      value: [
        { value: '0', count: 0 },
        { value: '10', count: 1 },
        { value: '20', count: 0 },
        { value: '>= 30', count: 1 },
      ],
    },
  ]);
});

test('stats as count, average, total', () => {
  const s = createAggregation('s', 'stats');
  s.record0(1);
  s.record0(4);
  assert.deepEqual(aggregationToJson(s).data, [{ key: [], value: { count: 2, average: 2, total: 5 } }]);
});

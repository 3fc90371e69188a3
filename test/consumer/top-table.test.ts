import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderFrame, sortRows, topRows, type Totals } from '../../src/consumer/top-table.js';

const t = (entries: number, exits: number, wall: number, vtime: number): Totals => ({ entries, exits, wall, vtime });

test('a refresh: calls where they entered, wall and vtime where they ended, in flight now', () => {
  const before = new Map([['a.js:f', t(10, 8, 8e6, 4e6)]]);
  const now = new Map([['a.js:f', t(30, 27, 46e6, 23e6)]]);
  const [row] = topRows(before, now, 1e9, 'all');
  assert.deepEqual(row!.values, { calls: 20, inflight: 3, conc: 0.038, wall: 2e6, vtime: 19e6, vcall: 1e6 });
});

test('under attach a function never seen to return has only CALLS; one that returned has every metric', () => {
  const now = new Map([
    ['a.js:oneLine', t(50, 0, 0, 0)],
    ['a.js:spliced', t(5, 4, 8e6, 2e6)],
  ]);
  const rows = sortRows(topRows(new Map(), now, 1e9, 'returned'), 'wall');
  assert.deepEqual(
    rows.map((r) => r.name),
    ['a.js:spliced', 'a.js:oneLine'],
    'a function without the metric sorts last',
  );
  assert.deepEqual(rows[1]!.values, { calls: 50, inflight: NaN, conc: NaN, wall: NaN, vtime: NaN, vcall: NaN });
  assert.equal(rows[0]!.values.inflight, 1);
  // 'all' (a traced command): never returning is a value too, the calls still in flight.
  assert.equal(topRows(new Map(), now, 1e9, 'all').find((r) => r.name === 'a.js:oneLine')!.values.inflight, 50);

  const text = renderFrame({ heading: 'h', rows, sort: 'wall', notes: ['note'], width: 132, maxRows: Infinity });
  assert.match(text, /^a\.js:oneLine +50 +- +- +- +- +-$/m);
  assert.match(text, /^a\.js:spliced +5 +1 +0\.01 +2\.0ms +2\.0ms +500\.0µs$/m);
  assert.match(text, /\nnote\n$/);
});

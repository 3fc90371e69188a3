import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFormat, createAggregation, printaDefault, printaFormatted } from '../../src/aggregate/index.js';

const HEADER = '           value  ------------- Distribution ------------- count    ';

test('printa formats of every kind: DTrace test suite printa/tst.basics (oracle/dtrace-utils)', () => {
  const mk = (fn: string, params: number[], ...values: number[]) => {
    const a = createAggregation(fn, fn, params);
    for (const v of values) a.record0(v);
    return a;
  };
  let out = '';
  out += printaFormatted(compileFormat('@a = %@u\n'), [mk('avg', [], 1)]);
  out += printaFormatted(compileFormat('@b = %@u\n'), [mk('count', [], 1)]);
  out += printaFormatted(compileFormat('@c = %@d\n'), [mk('lquantize', [1, 10], 1)]);
  out += printaFormatted(compileFormat('@d = %@u\n'), [mk('max', [], 1)]);
  out += printaFormatted(compileFormat('@e = %@u\n'), [mk('min', [], 1)]);
  out += printaFormatted(compileFormat('@f = %@u\n'), [mk('sum', [], 1)]);
  out += printaFormatted(compileFormat('@g = %@d\n'), [mk('quantize', [], 1)]);
  out += printaFormatted(compileFormat('@i = %@u\n'), [mk('stddev', [], 10, 20)]);
  assert.equal(
    out,
    '@a = 1\n@b = 1\n@c = \n' +
      HEADER +
      '\n' +
      '             < 1 |                                         0        \n' +
      '               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 1        \n' +
      '               2 |                                         0        \n' +
      '\n@d = 1\n@e = 1\n@f = 1\n@g = \n' +
      HEADER +
      '\n' +
      '               0 |                                         0        \n' +
      '               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 1        \n' +
      '               2 |                                         0        \n' +
      '\n@i = 5\n',
  );
});

test('printa: keys feed the other conversions in order, widths apply to %@', () => {
  const a = createAggregation('a', 'count');
  a.record(['GET', 200]);
  a.record(['GET', 200]);
  a.record(['POST', 500]);
  assert.equal(printaFormatted(compileFormat('%-5s %3d %@6d|\n'), [a]), 'POST  500      1|\nGET   200      2|\n');
  assert.equal(printaFormatted(compileFormat('%s: %@x\n'), [a]), 'POST: 1\nGET: 2\n');
});

test('printa of several aggregations with one format joins them on their keys', () => {
  const calls = createAggregation('calls', 'count');
  const bytes = createAggregation('bytes', 'sum');
  for (const [k, b] of [
    ['a', 10],
    ['b', 1],
    ['b', 2],
    ['c', 7],
  ] as const) {
    calls.record1(k);
    bytes.record1(k, b);
  }
  const only = createAggregation('only', 'max');
  only.record1('c', 99);
  only.record1('d', 4);
  assert.equal(
    printaFormatted(compileFormat('%s %@d %@d %@d\n'), [calls, bytes, only]),
    // d is missing from @calls, so it counts as 0 there and sorts first; a and c tie on 1.
    'd 0 0 4\na 1 10 0\nc 1 7 99\nb 2 3 0\n',
  );
});

test('printa without format of several aggregations: keys then each value column', () => {
  const calls = createAggregation('calls', 'count');
  const bytes = createAggregation('bytes', 'sum');
  calls.record1('x');
  bytes.record1('x', 1234);
  assert.equal(printaDefault([calls, bytes]), '\n  x' + ' '.repeat(49) + ' '.repeat(16) + '1' + ' '.repeat(13) + '1234\n');
});

test('printa with aggsortpos sorts joined rows by the chosen aggregation', () => {
  const a = createAggregation('a', 'sum');
  const b = createAggregation('b', 'sum');
  a.record1('k1', 1);
  b.record1('k1', 20);
  a.record1('k2', 2);
  b.record1('k2', 10);
  const fmt = compileFormat('%s\n');
  assert.equal(printaFormatted(fmt, [a, b]), 'k1\nk2\n');
  assert.equal(printaFormatted(fmt, [a, b], { aggsortpos: 1 }), 'k2\nk1\n');
});

test('printa of stats: %@ shows count, average and total', () => {
  const s = createAggregation('s', 'stats');
  s.record1('k', 2);
  s.record1('k', 5);
  assert.equal(printaFormatted(compileFormat('%s: %@d\n'), [s]), 'k: count 2, average 3, total 7\n');
});

test('a stack key prints each frame once indented by stackindent (14 by default), whether stack() indented it or not', () => {
  const a = createAggregation('s', 'count');
  a.record1('\n              f (x.js:1:1)\n              g (x.js:2:1)\n');
  a.record1('h (y.js:1:1)\ni (y.js:2:1)');
  const frames = printaDefault([a])
    .split('\n')
    .filter((l) => l.includes('.js'));
  assert.deepEqual(frames, [
    '              f (x.js:1:1)',
    '              g (x.js:2:1)',
    '              h (y.js:1:1)',
    '              i (y.js:2:1)',
  ]);
  const indented = printaDefault([a], { stackindent: 4 })
    .split('\n')
    .filter((l) => l.includes('.js'));
  assert.equal(indented[0], '    f (x.js:1:1)');
});

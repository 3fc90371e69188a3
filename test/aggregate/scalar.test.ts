import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createAggregation,
  isScalarAggregation,
  printaDefault,
  printAggregationsAtExit,
  type Aggregation,
} from '../../src/aggregate/index.js';

const lines = (...ls: string[]): string => ls.join('\n') + '\n';
const str = (k: string, v: string): string => '  ' + k.padEnd(50) + ' ' + v.padStart(16);

function filled(fn: string, records: [string, number | bigint][]): Aggregation {
  const a = createAggregation('a', fn);
  for (const [k, v] of records) a.record1(k, v);
  return a;
}

test('count: string keys padded to 50, values right-aligned in 16, sorted by value then key', () => {
  const a = createAggregation('a', 'count');
  for (const k of ['sshd', 'bash', 'node', 'node', 'node', 'bash']) a.record1(k);
  assert.equal(
    printaDefault([a]),
    '\n' +
      '  sshd                                                              1\n' +
      '  bash                                                              2\n' +
      '  node                                                              3\n',
  );
});

test('integer keys print as %16lld, several key columns in order', () => {
  const a = createAggregation('a', 'sum');
  a.record([3, 'read'], 10);
  a.record([-12, 'write'], 5);
  assert.equal(
    printaDefault([a]),
    '\n' +
      '              -12  write                                                             5\n' +
      '                3  read                                                             10\n',
  );
});

test('empty tuple prints the value alone', () => {
  const a = createAggregation('a', 'count');
  a.record0();
  a.record0();
  assert.equal(printaDefault([a]), '\n                2\n');
});

test('avg truncates toward zero like C integer division', () => {
  const a = filled('avg', [
    ['x', 1],
    ['x', 2],
    ['y', -1],
    ['y', -2],
    ['z', 7],
  ]);
  assert.equal(printaDefault([a]), lines('', str('y', '-1'), str('x', '1'), str('z', '7')));
});

test('stddev is DTrace integer arithmetic: isqrt(Σx²/N − (Σx/N)²)', () => {
  const a = filled('stddev', [
    ['a', 10],
    ['a', 20],
    ['b', 1],
    ['b', 2],
    ['b', 4],
    ['c', 5],
  ]);
  // a: 250 - 15² = 25 → 5; b: 21/3=7, 7/3=2 → 7-4=3 → 1; c: 25-25 → 0
  assert.equal(printaDefault([a]), lines('', str('c', '0'), str('b', '1'), str('a', '5')));
});

test('stddev follows DTrace with negative samples (squares of |x|, average truncated)', () => {
  const a = filled('stddev', [
    ['n', -10],
    ['n', 20],
  ]);
  // Σx²/N = 250, Σx/N = 5 → isqrt(225) = 15
  assert.equal(printaDefault([a]), lines('', str('n', '15')));
});

test('min and max with negatives; clear() leaves INT64_MAX / INT64_MIN as DTrace prints', () => {
  const mn = filled('min', [
    ['k', 5],
    ['k', -7],
    ['k', 3],
  ]);
  const mx = filled('max', [
    ['k', -5],
    ['k', -7],
    ['k', -3],
  ]);
  assert.equal(printaDefault([mn]), lines('', str('k', '-7')));
  assert.equal(printaDefault([mx]), lines('', str('k', '-3')));
  mn.clear();
  mx.clear();
  assert.equal(printaDefault([mn]), lines('', str('k', '9223372036854775807')));
  assert.equal(printaDefault([mx]), lines('', str('k', '-9223372036854775808')));
});

test('sum stays exact past 2^53, with number and bigint samples', () => {
  const a = createAggregation('a', 'sum');
  a.record0(Number.MAX_SAFE_INTEGER);
  a.record0(Number.MAX_SAFE_INTEGER);
  a.record0(3);
  a.record0(1n << 60n);
  const expected = 2n * BigInt(Number.MAX_SAFE_INTEGER) + 3n + (1n << 60n);
  assert.equal(printaDefault([a]), `\n ${expected.toString().padStart(16)}\n`);
  assert.deepEqual(a.snapshot().entries[0]!.value, [expected.toString()]);
});

test('sum wraps at 64 bits as DTrace does, whatever the order of records and merges', () => {
  const a = createAggregation('a', 'sum');
  a.record0(9223372036854775807n);
  a.record0(1);
  assert.equal(printaDefault([a]), `\n ${'-9223372036854775808'.padStart(16)}\n`);
  a.record0(-1);
  assert.equal(printaDefault([a]), `\n ${'9223372036854775807'.padStart(16)}\n`);
});

test('bigint and number keys are one key; -0 is 0', () => {
  const a = createAggregation('a', 'count');
  a.record1(5n);
  a.record1(5);
  a.record1(1n << 60n);
  assert.equal(a.size, 2);
  const b = createAggregation('b', 'count');
  b.record([0, 'x']);
  b.record([-0, 'x']);
  b.record([0n, 'x']);
  assert.equal(b.size, 1);
  assert.equal(b.lookup([0, 'x'])?.key.length, 2);
});

test('stats prints count, average and total as bpftrace does', () => {
  const a = filled('stats', [
    ['k', 1],
    ['k', 2],
    ['k', 4],
  ]);
  assert.equal(printaDefault([a]), lines('', '  k'.padEnd(52) + ' count 3, average 2, total 7'));
});

test('clear() zeroes values and keeps keys', () => {
  const a = filled('count', [
    ['a', 0],
    ['b', 0],
  ]);
  a.clear();
  assert.equal(a.size, 2);
  assert.equal(printaDefault([a]), lines('', str('a', '0'), str('b', '0')));
});

test('trunc keeps the top n, bottom |n| for negative n, nothing without n', () => {
  const mk = () =>
    filled('sum', [
      ['a', 1],
      ['b', 5],
      ['c', 3],
      ['d', 4],
    ]);
  const top = mk();
  top.trunc(2);
  assert.equal(printaDefault([top]), lines('', str('d', '4'), str('b', '5')));
  const bottom = mk();
  bottom.trunc(-2);
  assert.equal(printaDefault([bottom]), lines('', str('a', '1'), str('c', '3')));
  const none = mk();
  none.trunc();
  assert.equal(none.size, 0);
  assert.equal(printaDefault([none]), '\n');
});

test('normalize divides what is printed (avg as (Σ/n)/N), denormalize restores', () => {
  const s = filled('sum', [['k', 2500]]);
  s.normalize(1000);
  assert.equal(printaDefault([s]), lines('', str('k', '2')));
  s.denormalize();
  assert.equal(printaDefault([s]), lines('', str('k', '2500')));
  const avg = filled('avg', [
    ['k', 3000],
    ['k', 4000],
  ]);
  avg.normalize(1000);
  assert.equal(printaDefault([avg]), lines('', str('k', '3')));
  assert.throws(() => s.normalize(0), /positive integer/);
});

test('aggsortkey and aggsortrev', () => {
  const a = filled('sum', [
    ['b', 1],
    ['a', 2],
    ['c', 3],
  ]);
  assert.equal(printaDefault([a], { aggsortkey: true }), lines('', str('a', '2'), str('b', '1'), str('c', '3')));
  assert.equal(printaDefault([a], { aggsortrev: true }), lines('', str('c', '3'), str('a', '2'), str('b', '1')));
  assert.equal(printaDefault([a], { aggsortkey: true, aggsortrev: true }), lines('', str('c', '3'), str('b', '1'), str('a', '2')));
});

test('exit print: one newline, then every non-empty aggregation, no names or separators', () => {
  const a = filled('count', [['x', 0]]);
  const empty = createAggregation('e', 'count');
  const b = filled('sum', [['y', 9]]);
  assert.equal(printAggregationsAtExit([a, empty, b]), lines('', str('x', '1'), str('y', '9')));
});

test('a different key arity is refused', () => {
  const a = createAggregation('a', 'count');
  a.record1('x');
  assert.throws(() => a.record(['x', 'y']), { code: 'MSCOPE_AGG_KEY_ARITY' });
});

test('a stack key prints one indented frame per line, the value on its own line', () => {
  const a = createAggregation('a', 'count');
  a.record1('app.js:10 handler\nnode:internal/timers:1 listOnTimeout\n');
  a.record1('app.js:10 handler\nnode:internal/timers:1 listOnTimeout\n');
  assert.equal(
    printaDefault([a]),
    '\n\n' + '              app.js:10 handler\n' + '              node:internal/timers:1 listOnTimeout\n' + '                2\n',
  );
});

test('read() gives the printed value of a tuple', () => {
  const a = filled('avg', [
    ['k', 10],
    ['k', 21],
  ]);
  assert.ok(isScalarAggregation(a));
  assert.equal(a.read(['k']), 15);
  assert.equal(a.read(['nope']), undefined);
});

test('doubles beyond 2^53 print their exact integer value; NaN never throws', () => {
  const a = createAggregation('a', 'max');
  a.record0(2 ** 62);
  assert.equal(printaDefault([a]), '\n 4611686018427387904\n');
  const s = createAggregation('s', 'sum');
  s.record0(Number.MAX_SAFE_INTEGER);
  assert.doesNotThrow(() => s.record0(Number.NaN));
});

test('a single key recorded again after trunc() starts from nothing; a tuple of the probe likewise, each statement its own', () => {
  const a = createAggregation('a', 'count');
  a.record1('k');
  a.record1('k');
  a.trunc();
  a.record1('k');
  assert.equal(isScalarAggregation(a) && a.read(['k']), 1);
  const probe = { func: 'f', name: 'entry' };
  const byFunc = a.probeTuple((p: typeof probe) => [p.func]);
  const byName = a.probeTuple((p: typeof probe) => [p.name]);
  a.trunc();
  a.recordProbe(byFunc, probe);
  a.recordProbe(byName, probe);
  a.recordProbe(byFunc, probe);
  a.trunc();
  a.recordProbe(byFunc, probe);
  assert.equal(isScalarAggregation(a) && a.read(['f']), 1);
  assert.equal(isScalarAggregation(a) && a.read(['entry']), undefined);
});

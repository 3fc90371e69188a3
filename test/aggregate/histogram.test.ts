import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAggregation, printaDefault } from '../../src/aggregate/index.js';

// Expected tables are written out literally, trailing spaces included: DTrace pads the
// count column with %-9lld (dt_consume.c), so every row ends in spaces.
const HEADER = '           value  ------------- Distribution ------------- count    ';

test('quantize: the Dynamic Tracing Guide example (bars are the share of the total)', () => {
  const q = createAggregation('q', 'quantize');
  for (let i = 0; i < 4149; i++) q.record0(8192 + (i % 8000));
  for (let i = 0; i < 500; i++) q.record0(16384);
  assert.equal(
    printaDefault([q]),
    '\n\n' +
      HEADER +
      '\n' +
      '            4096 |                                         0        \n' +
      '            8192 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@     4149     \n' +
      '           16384 |@@@@                                     500      \n' +
      '           32768 |                                         0        \n' +
      '\n',
  );
});

test('quantize: zero bucket, negatives in (-2^(k+1), -2^k], gaps printed as zero rows', () => {
  const q = createAggregation('q', 'quantize');
  for (const v of [-1, -2, -3, -4, 0, 1, 3]) q.record0(v);
  assert.equal(
    printaDefault([q]),
    '\n\n' +
      HEADER +
      '\n' +
      '              -8 |                                         0        \n' +
      '              -4 |@@@@@@                                   1        \n' +
      '              -2 |@@@@@@@@@@@                              2        \n' +
      '              -1 |@@@@@@                                   1        \n' +
      '               0 |@@@@@@                                   1        \n' +
      '               1 |@@@@@@                                   1        \n' +
      '               2 |@@@@@@                                   1        \n' +
      '               4 |                                         0        \n' +
      '\n',
  );
});

test('quantize: huge values and bigints land in the right power of two', () => {
  const q = createAggregation('q', 'quantize');
  q.record0(2 ** 40);
  q.record0((1n << 62n) + 5n);
  q.record0(-(2 ** 53));
  const out = printaDefault([q]);
  assert.match(out, /\n {3}1099511627776 \|@{13} /);
  assert.match(out, /\n4611686018427387904 \|@{13} /);
  assert.match(out, /\n-9007199254740992 \|@{13} /);
});

test('quantize with a key: the key line, the table, a blank line', () => {
  const q = createAggregation('q', 'quantize');
  q.record1('read', 1);
  assert.equal(
    printaDefault([q]),
    '\n' +
      '  read                                              \n' +
      HEADER +
      '\n' +
      '               0 |                                         0        \n' +
      '               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@ 1        \n' +
      '               2 |                                         0        \n' +
      '\n',
  );
});

test('quantize after clear(): the rows around zero', () => {
  const q = createAggregation('q', 'quantize');
  q.record0(100);
  q.clear();
  assert.equal(
    printaDefault([q]),
    '\n\n' +
      HEADER +
      '\n' +
      '              -1 |                                         0        \n' +
      '               0 |                                         0        \n' +
      '               1 |                                         0        \n' +
      '\n',
  );
});

test('quantize: negative weights draw bars left of the axis, both signs split it', () => {
  const neg = createAggregation('q', 'quantize');
  neg.record0(2, -1);
  assert.equal(
    printaDefault([neg]),
    '\n\n' +
      HEADER +
      '\n' +
      '               1 ' +
      ' '.repeat(40) +
      '| 0        \n' +
      '               2 @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@| -1       \n' +
      '               4 ' +
      ' '.repeat(40) +
      '| 0        \n' +
      '\n',
  );
  const both = createAggregation('q', 'quantize');
  both.record0(1, 1);
  both.record0(2, -1);
  assert.equal(
    printaDefault([both]),
    '\n\n' +
      HEADER +
      '\n' +
      '               0                     |                     0        \n' +
      '               1                     |@@@@@@@@@@           1        \n' +
      '               2           @@@@@@@@@@|                     -1       \n' +
      '               4                     |                     0        \n' +
      '\n',
  );
});

test('lquantize: "< low" and ">= high" rows, step buckets [base, base+step)', () => {
  const l = createAggregation('l', 'lquantize', [0, 50, 10]);
  for (const v of [-1, 0, 9, 10, 49, 50, 1000]) l.record0(v);
  assert.equal(
    printaDefault([l]),
    '\n\n' +
      HEADER +
      '\n' +
      '             < 0 |@@@@@@                                   1        \n' +
      '               0 |@@@@@@@@@@@                              2        \n' +
      '              10 |@@@@@@                                   1        \n' +
      '              20 |                                         0        \n' +
      '              30 |                                         0        \n' +
      '              40 |@@@@@@                                   1        \n' +
      '           >= 50 |@@@@@@@@@@@                              2        \n' +
      '\n',
  );
});

test('lquantize: the overflow label is low + levels·step when the range is not a multiple', () => {
  const l = createAggregation('l', 'lquantize', [1, 10, 4]);
  l.record0(100);
  const out = printaDefault([l]);
  assert.match(out, /\n {15}5 \| {41}0 {8}\n {12}>= 9 \|@{40} 1 {8}\n/);
});

test('lquantize: empty prints "< low", the first level, the second (dt_print_lquantize)', () => {
  const l = createAggregation('l', 'lquantize', [1, 10]);
  l.record0(3);
  l.clear();
  assert.equal(
    printaDefault([l]),
    '\n\n' +
      HEADER +
      '\n' +
      '             < 1 |                                         0        \n' +
      '               1 |                                         0        \n' +
      '               2 |                                         0        \n' +
      '\n',
  );
});

test('llquantize: magnitudes split in steps, "abs() < f^low" in the middle, negatives mirrored', () => {
  const l = createAggregation('l', 'llquantize', [10, 1, 2, 20]);
  // buckets: <= -1000, -950..-100 by 50, -95..-10 by 5, abs() < 10, 10..95 by 5, 100..950 by 50, >= 1000
  for (const v of [3, 10, 14, 15, 999, 1000, 5000]) l.record0(v);
  const out = printaDefault([l]);
  const rows = out.split('\n').filter((r) => r.includes('|'));
  assert.equal(rows[0], '             -10 |                                         0        ');
  assert.equal(rows[1], '      abs() < 10 |@@@@@@                                   1        ');
  assert.equal(rows[2], '              10 |@@@@@@@@@@@                              2        ');
  assert.equal(rows[3], '              15 |@@@@@@                                   1        ');
  assert.equal(rows[4], '              20 |                                         0        ');
  assert.equal(rows.at(-2), '             950 |@@@@@@                                   1        ');
  assert.equal(rows.at(-1), '         >= 1000 |@@@@@@@@@@@                              2        ');
  assert.equal(rows.length, 2 + 18 + 18 + 1);
});

test('llquantize: "< f^low" when no negative row is printed, "0" when low is 0', () => {
  const l = createAggregation('l', 'llquantize', [10, 1, 2, 20]);
  l.record0(10);
  const rows = printaDefault([l])
    .split('\n')
    .filter((r) => r.includes('|'));
  assert.equal(rows[0], '            < 10 |                                         0        ');
  const z = createAggregation('z', 'llquantize', [10, 0, 2, 10]);
  z.record0(1);
  assert.equal(
    printaDefault([z])
      .split('\n')
      .filter((r) => r.includes('|'))[0]!
      .slice(0, 16)
      .trim(),
    '0',
  );
});

function labels(a: ReturnType<typeof createAggregation>): string[] {
  return printaDefault([a])
    .split('\n')
    .filter((r) => r.includes('|'))
    .map((r) => r.slice(0, 16).trim());
}

test('llquantize with steps below the factor: fewer, wider buckets per magnitude (factor 10, 5 steps)', () => {
  const l = createAggregation('l', 'llquantize', [10, 0, 2, 5]);
  for (const v of [1, 99, 999]) l.record0(v);
  assert.deepEqual(labels(l), ['0', '1', '2', '4', '6', '8', '10', '20', '40', '60', '80', '100', '200', '400', '600', '800', '>= 1000']);
});

test('llquantize with high equal to low: one magnitude, and negative values mirrored', () => {
  const l = createAggregation('l', 'llquantize', [4, 0, 0, 4]);
  for (const v of [-9, -2, 3, 4]) l.record0(v);
  assert.deepEqual(labels(l), ['<= -4', '-3', '-2', '-1', '0', '1', '2', '3', '>= 4']);
});

test('llquantize: every bucket empty prints the middle row and the one above it', () => {
  const l = createAggregation('l', 'llquantize', [2, 0, 1, 2]);
  l.record(['k'], 0, 1);
  l.record(['k'], 0, -1);
  assert.deepEqual(labels(l), ['0', '1', '2']);
});

test('histogram parameters are checked with DTrace-like messages', () => {
  assert.throws(() => createAggregation('l', 'lquantize', [10, 0]), /upper bound must be greater/);
  assert.throws(() => createAggregation('l', 'lquantize', [0, 10, 0]), /step must be greater than zero/);
  assert.throws(() => createAggregation('l', 'llquantize', [1, 0, 2, 10]), /greater than or equal to 2/);
  assert.throws(() => createAggregation('l', 'llquantize', [10, 0, 2, 15]), /multiple of argument #1/);
  assert.throws(() => createAggregation('l', 'llquantize', [10, 0, 2, 6]), /evenly divide argument #1/);
  assert.throws(() => createAggregation('l', 'llquantize', [10, 0, 2, 30]), /square of argument #1/);
  assert.throws(() => createAggregation('l', 'llquantize', [10, 2, 6, 80]), /factor\^\(low \+ 1\)/);
  assert.throws(() => createAggregation('l', 'llquantize', [10, 3, 2, 10]), /at least argument #2/);
  assert.throws(() => createAggregation('l', 'llquantize', [10, -1, 2, 10]), /#2 \(low magnitude\) must be an unsigned 16-bit/);
  assert.throws(() => createAggregation('l', 'llquantize', [10, 0, 20, 10]), /overflow of 64 bits/);
  assert.throws(() => createAggregation('l', 'llquantize', [10, 0, 2, 0]), /#4 \(steps\)/);
  assert.throws(() => createAggregation('l', 'quantize', [1]), /takes 0 constant/);
  assert.throws(() => createAggregation('l', 'cuont'), /unknown aggregating function/);
});

test('bpftrace aliases: hist is quantize, lhist is lquantize', () => {
  const h = createAggregation('h', 'hist');
  const q = createAggregation('q', 'quantize');
  const lh = createAggregation('l', 'lhist', [0, 100, 10]);
  const lq = createAggregation('l', 'lquantize', [0, 100, 10]);
  for (const v of [1, 5, 70, 300]) {
    h.record0(v);
    q.record0(v);
    lh.record0(v);
    lq.record0(v);
  }
  assert.equal(h.kind, 'quantize');
  assert.equal(printaDefault([h]), printaDefault([q]));
  assert.equal(printaDefault([lh]), printaDefault([lq]));
  assert.throws(() => createAggregation('h', 'hist', [2]), /not supported/);
});

test('histograms sort by Σ bucket value × count', () => {
  const q = createAggregation('q', 'quantize');
  q.record1('big', 1000);
  q.record1('small', 1);
  q.record1('small', 1);
  q.record1('small', 1);
  const keys = printaDefault([q])
    .split('\n')
    .filter((l) => l.startsWith('  ') && !l.includes('|') && !l.includes('value'));
  assert.deepEqual(
    keys.map((k) => k.trim()),
    ['small', 'big'],
  );
});

test('histograms with equal weighted sums sort by their count at zero, then by key', () => {
  const q = createAggregation('q', 'quantize');
  q.record1('a', 0);
  q.record1('b', 0);
  q.record1('b', 0);
  q.record1('c', -1);
  q.record1('c', 1);
  const keys = printaDefault([q])
    .split('\n')
    .filter((l) => /^ {2}[abc] /.test(l))
    .map((l) => l.trim());
  assert.deepEqual(keys, ['c', 'a', 'b']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFormat, formatCompiled, sprintf, type PrintfArg } from '../../src/aggregate/index.js';

// [format, args, expected] — expectations are C printf's (and D's 64-bit integers).
const CASES: [string, PrintfArg[], string][] = [
  ['%d', [42], '42'],
  ['%i', [-42], '-42'],
  ['%5d|', [42], '   42|'],
  ['%-5d|', [42], '42   |'],
  ['%05d', [-42], '-0042'],
  ['%+d %+d', [5, -5], '+5 -5'],
  ['% d', [5], ' 5'],
  ['%.3d', [7], '007'],
  ['%8.3d|', [7], '     007|'],
  ['%08.3d|', [7], '     007|'],
  ['%.0d|', [0], '|'],
  ['%u', [-1], '18446744073709551615'],
  ['%x %X', [255, 255], 'ff FF'],
  ['%#x %#X %#x', [255, 255, 0], '0xff 0XFF 0'],
  ['%x', [-1], 'ffffffffffffffff'],
  ['%o %#o', [8, 8], '10 010'],
  ['%#010x', [255], '0x000000ff'],
  ['%d', [9223372036854775808n], '-9223372036854775808'],
  ['%lld %llu %hd %ld %zd', [9007199254740993n, 1n << 63n, 3, 4, 5], '9007199254740993 9223372036854775808 3 4 5'],
  ['%s', ['abc'], 'abc'],
  ['%6s|%-6s|', ['abc', 'abc'], '   abc|abc   |'],
  ['%.2s', ['abc'], 'ab'],
  ['%*d|%-*d|', [5, 42, 4, 7], '   42|7   |'],
  ['%*d|', [-4, 7], '7   |'],
  ['%.*s', [2, 'hello'], 'he'],
  ['%c%c', [65, 'bc'], 'Ab'],
  ['%3c|', [120], '  x|'],
  ['%e', [12345.678], '1.234568e+04'],
  ['%.2e', [-0.000123], '-1.23e-04'],
  ['%f', [3.14159], '3.141590'],
  ['%.2f %.0f %#.0f', [3.14159, 2.5, 3], '3.14 2 3.'],
  ['%8.3f|%-8.1f|', [3.14159, 2.25], '   3.142|2.2     |'],
  ['%+.1f %010.2f', [1, -3.5], '+1.0 -000003.50'],
  ['%g %g %g %g', [0.0001, 0.00001, 123456789, 100000], '0.0001 1e-05 1.23457e+08 100000'],
  ['%g %g %#g', [1.5, 0, 1.5], '1.5 0 1.50000'],
  ['%f %e %f', [Infinity, Number.NaN, -Infinity], 'inf nan -inf'],
  ['%.1f %.1f %.0f %.0f %.2e', [0.25, 0.35, 0.5, 1.5, 1.125], '0.2 0.3 0 2 1.12e+00'],
  ['%.3f', [1e22], '10000000000000000000000.000'],
  ['%p %p', [255, 0], '0xff 0x0'],
  ['100%% %d%%', [5], '100% 5%'],
  ['%d %s', [], '0 '],
  ['%d', ['12'], '12'],
  ['%s', [42n], '42'],
  ['tab\there', [], 'tab\there'],
];

for (const [fmt, args, expected] of CASES) {
  test(`printf ${JSON.stringify(fmt)} ${args.map(String).join(',')}`, () => {
    assert.equal(sprintf(fmt, ...args), expected);
  });
}

test('a format is compiled once and reused', () => {
  const f = compileFormat('%-4s=%3d\n');
  assert.equal(formatCompiled(f, ['a', 1]) + formatCompiled(f, ['bb', 22]), 'a   =  1\nbb  = 22\n');
  assert.deepEqual(f.argTypes, ['string', 'int']);
  assert.equal(f.aggCount, 0);
});

test('argument kinds for the checker: * widths are integers, %@ is not an argument', () => {
  const f = compileFormat('%*s %c %f %@d %x');
  assert.deepEqual(f.argTypes, ['int', 'string', 'char', 'float', 'int']);
  assert.equal(f.aggCount, 1);
});

test('bad formats name the conversion and its offset', () => {
  assert.throws(() => compileFormat('ok %q'), { code: 'MSCOPE_BAD_FORMAT', message: /unsupported conversion %q .* offset 3/ });
  assert.throws(() => compileFormat('%5'), { code: 'MSCOPE_BAD_FORMAT', message: /incomplete conversion/ });
});

test('%a and %A print a symbol given as a name, or an address in hex', async () => {
  const { symbolOf } = await import('../../src/lang/runtime/symbols.js');
  function handler(): void {}
  assert.equal(
    sprintf('[%a] [%-9A] [%a]', symbolOf(handler) as string, symbolOf(() => {}) as string, symbolOf(4096) as number),
    '[handler] [<anonymous>] [0x1000]',
  );
});

test('%Y and %T print nanoseconds since the epoch in local time, as DTrace does', () => {
  const tz = process.env.TZ;
  process.env.TZ = 'UTC';
  try {
    assert.equal(sprintf('%Y|%T', 0n, 0n), '1970 Jan  1 00:00:00|Thu, 01 Jan 1970 00:00:00 UTC');
    // A signed count of nanoseconds, truncated to seconds as C divides.
    assert.equal(sprintf('%Y|%Y', -1n, -1_000_000_000n), '1970 Jan  1 00:00:00|1969 Dec 31 23:59:59');
  } finally {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  }
});

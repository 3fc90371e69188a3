import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOwn, splitCommand } from '../../src/cli/args.js';

const OPTIONS = {
  monitor: { type: 'string', multiple: true },
  quiet: { type: 'boolean', short: 'q' },
  output: { type: 'string', short: 'o' },
} as const;

test('CMD starts after --, or at the first argument that is not an option or its value', () => {
  assert.deepEqual(splitCommand(['-q', '--monitor', 'm.ts', '--', 'node', '-e', '1'], OPTIONS), {
    own: ['-q', '--monitor', 'm.ts'],
    command: ['node', '-e', '1'],
  });
  assert.deepEqual(splitCommand(['-o', 'out.txt', 'node', '--inspect', 'app.js'], OPTIONS), {
    own: ['-o', 'out.txt'],
    command: ['node', '--inspect', 'app.js'],
  });
  assert.deepEqual(splitCommand(['-q'], OPTIONS), { own: ['-q'], command: [] });
});

test('with positionals before the command, only -- starts the command', () => {
  assert.deepEqual(splitCommand(['fn:::entry', '--skipped', '--', 'node', 'a.js'], {}, true), {
    own: ['fn:::entry', '--skipped'],
    command: ['node', 'a.js'],
  });
  // `mscope blocks 123 x` and `mscope top 123 -f x` were taken as PID -- CMD.
  assert.deepEqual(splitCommand(['123', 'x'], {}, true), { own: ['123', 'x'], command: [] });
  assert.deepEqual(splitCommand(['123', '-f', 'x'], {}, true), { own: ['123', '-f', 'x'], command: [] });
});

test('parse errors become one-line usage errors with the offending option', () => {
  assert.throws(() => parseOwn('run', ['--frob'], OPTIONS), { code: 'MSCOPE_BAD_USAGE', message: "mscope run: unknown option '--frob'" });
  assert.throws(() => parseOwn('run', ['--quite'], OPTIONS), { message: "mscope run: unknown option '--quite'; did you mean '--quiet'?" });
  assert.throws(() => parseOwn('run', ['stray'], OPTIONS), { code: 'MSCOPE_BAD_USAGE', message: 'mscope run: unexpected argument stray' });
  assert.throws(
    () => parseOwn('run', ['-o'], OPTIONS),
    (e: Error) => e.message.startsWith('mscope run: ') && !e.message.includes('\n'),
  );
  assert.deepEqual(
    { ...parseOwn('run', ['-q', '--monitor', 'a', '--monitor', 'b'], OPTIONS).values },
    { quiet: true, monitor: ['a', 'b'] },
  );
});

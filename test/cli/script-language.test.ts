import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, mscope } from './mscope.js';

// The D language end to end: what a script computes in the traced process reaches mscope's output.
const dir = join(FIXTURES, 'scripts');

test('side effects in a predicate run once per firing, with no errors', async () => {
  // count.mjs calls add, square, add, add.
  const r = await mscope(['run', '-q', '-e', 'fn:::entry /n++ < 2/ { printf("%s %d\\n", probefunc, n); }', '--', 'node', 'count.mjs'], dir);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  // The program's own line and the relayed trace output may interleave either way.
  assert.deepEqual(r.stdout.split('\n').sort(), ['', 'add 1', 'esm: 12', 'square 2']);
});

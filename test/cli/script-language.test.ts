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

test('END in mscope sees the globals that probe clauses set in the traced process', async () => {
  const script =
    'fn:::entry { n++; last = probefunc; a[probefunc] = n; } END { printf("%d %s %d %d\\n", n, last, a["add"], a["square"]); }';
  const r = await mscope(['run', '-q', '-e', script, '--', 'node', 'count.mjs'], dir);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  // count.mjs calls add, square, add, add.
  assert.deepEqual(r.stdout.split('\n').sort(), ['', '4 add 4 2', 'esm: 12']);
});

test('globals from several processes: the last value reported wins, while an aggregation sums', async () => {
  // The parent calls add(1, 1) and forks a child that calls add three times; once the child
  // has exited, the parent calls add(2, 2), and its report comes last.
  const script = 'fn::add:entry { n++; last = arg0; @calls = count(); } END { printf("n=%d last=%d\\n", n, last); }';
  const r = await mscope(['run', '-q', '-e', script, '--', 'node', 'parent.mjs'], dir);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /n=2 last=2\n\n\s+5\n$/);
});

test('a misspelled record field is an error at compile time, located, with a suggestion; CMD never runs', async () => {
  const r = await mscope(['run', '-e', 'http:::request-done { @[args[0].urll] = count(); }', '--', 'node', 'count.mjs'], dir);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.equal(
    r.stderr,
    [
      '-e:1:33: `http_request_t` records have no field `urll`; did you mean `url`? [D3014]',
      '  http:::request-done { @[args[0].urll] = count(); }',
      '                                  ^~~~',
      '',
    ].join('\n'),
  );
});

test('self-> variables follow each async call, even when its promises were made before the first write', async () => {
  // Found on Node 20 while checking LANGUAGE.md: every return saw the last call's self->n.
  const script =
    'fn::wait:entry { self->n = arg0; } fn::wait:return /self->n/ { printf("wait(%d) = %d\\n", self->n, retval); self->n = 0; }';
  const r = await mscope(['run', '-q', '-e', script, '--', 'node', 'concurrent-waits.mjs'], dir);
  assert.equal(r.stderr, '');
  assert.deepEqual(r.stdout.split('\n').sort(), ['', 'wait(1) = 2', 'wait(2) = 4', 'wait(3) = 6']);
});

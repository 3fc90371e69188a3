import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, TSX, countsByPid, mscope } from './mscope.js';

const fork = join(FIXTURES, 'fork');

test('the agent follows through a shell wrapper', async () => {
  const r = await mscope(['run', '-q', '--monitor', '../monitors/count.ts', '--', 'sh', '-c', 'node app.cjs'], join(FIXTURES, 'cjs'));
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual([...countsByPid(r.stdout).values()], [{ add: 5, divide: 1 }]);
});

test('a parent and the child process it forks both report', async () => {
  const r = await mscope(['run', '-q', '--monitor', '../monitors/count.ts', '--', 'node', 'parent.mjs'], fork);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /parent: child exited with 0/);
  const counts = [...countsByPid(r.stdout).values()].map((c) => c.add).sort();
  assert.deepEqual(counts, [1, 2], 'one report per process, with its own counts');
});

test('the summary counts events over every process', async () => {
  const r = await mscope(['run', '--monitor', '../monitors/count.ts', '--', 'node', 'parent.mjs'], fork);
  assert.equal(r.status, 0);
  assert.match(r.stderr, /monitor \.\.\/monitors\/count\.ts: 3 events in 2 processes/);
});

// Hung past the file's 300 s limit on Node 26 (11:40, after cc0dc20 fixed monitor-file's hang), as it
// did in full-suite runs on 22, 24 and 26 before: a TypeScript monitor loaded in a process that
// tsx then runs; an open bug, still not found. MSCOPE_TEST_HANGS=1 runs it.
const HANGS = process.env.MSCOPE_TEST_HANGS === '1' ? false : 'hangs now and then (Node 22+): an open bug (MSCOPE_TEST_HANGS=1 runs it)';

test('a TypeScript program run by tsx is traced, and its probes name the .ts file', { skip: HANGS }, async () => {
  const ts = join(FIXTURES, 'ts');
  const r = await mscope(['run', '-q', '--monitor', '../monitors/count.ts', '--', TSX, 'app.ts'], ts);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^app: 1 rows$/m);
  assert.deepEqual([...countsByPid(r.stdout).values()], [{ query: 2 }]);
  const list = await mscope(['list', 'fn:::entry', '--', TSX, 'app.ts'], ts);
  assert.match(list.stdout, /\s+fn\s+db\.ts\s+query entry\n/);
});

test('worker threads are not traced yet: the main thread reports once and the app is unaffected', async () => {
  const r = await mscope(['run', '-q', '--monitor', '../monitors/count.ts', '--', 'node', 'with-worker.mjs'], join(FIXTURES, 'esm'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^app: worker done$/m);
  assert.deepEqual([...countsByPid(r.stdout).values()], [{ add: 1 }]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, TSX, countsByPid, mscope, mscopeWithin } from './mscope.js';

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

// tsx transforms app.ts in the traced process (Node 22 and newer) through esbuild's service
// worker, which the agent's NODE_OPTIONS also reached: the agent there loaded count.ts, and with
// it esbuild, before the worker's own script, so the service never started and the transform
// waited forever. Only an uncached transform starts that worker, so the run gets a tsx disk cache
// of its own (TMPDIR), cold; the list after it runs warm. Hung every time before the fix.
test('a TypeScript program run by tsx is traced, and its probes name the .ts file', async () => {
  const ts = join(FIXTURES, 'ts');
  const cache = mkdtempSync(join(tmpdir(), 'mscope-tsx-cache-'));
  try {
    const env = { TMPDIR: cache };
    const r = await mscopeWithin(60_000, ['run', '-q', '--monitor', '../monitors/count.ts', '--', TSX, 'app.ts'], ts, env);
    assert.equal(r.signal, null, `killed after 60 s: it hung; stdout: ${r.stdout}`);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^app: 1 rows$/m);
    assert.deepEqual([...countsByPid(r.stdout).values()], [{ query: 2 }]);
    const list = await mscopeWithin(60_000, ['list', 'fn:::entry', '--', TSX, 'app.ts'], ts, env);
    assert.equal(list.signal, null, `killed after 60 s: it hung; stdout: ${list.stdout}`);
    assert.match(list.stdout, /\s+fn\s+db\.ts\s+query entry\n/);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('worker threads are not traced yet: the main thread reports once and the app is unaffected', async () => {
  const r = await mscope(['run', '-q', '--monitor', '../monitors/count.ts', '--', 'node', 'with-worker.mjs'], join(FIXTURES, 'esm'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^app: worker done$/m);
  assert.deepEqual([...countsByPid(r.stdout).values()], [{ add: 1 }]);
});

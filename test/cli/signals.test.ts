import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, collect, countsByPid, spawnMscope, waitForOutput } from './mscope.js';

const esm = join(FIXTURES, 'esm');

test('SIGINT to mscope reaches CMD; results are printed and the status is 128+2', async () => {
  const child = spawnMscope(['run', '-q', '--monitor', '../monitors/count.ts', '--', 'node', 'wait-for-signal.mjs'], esm);
  const done = collect(child);
  await waitForOutput(child, 'ready');
  child.kill('SIGINT');
  const r = await done;
  assert.equal(r.status, 130, r.stderr);
  assert.deepEqual([...countsByPid(r.stdout).values()], [{ add: 1 }]);
});

test("an app's own SIGINT handler keeps control, and what it does on the way out is traced", async () => {
  const child = spawnMscope(['run', '-q', '--monitor', '../monitors/count.ts', '--', 'node', 'handles-sigint.mjs'], esm);
  const done = collect(child);
  await waitForOutput(child, 'ready');
  child.kill('SIGINT');
  const r = await done;
  assert.equal(r.status, 7, r.stderr);
  assert.match(r.stdout, /app: shutting down/);
  assert.deepEqual([...countsByPid(r.stdout).values()], [{ add: 2 }]);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, collect, spawnMscope, waitForOutput } from './mscope.js';

test('monitor output appears while CMD runs, and exit(code) ends the run with that code', async () => {
  const child = spawnMscope(['run', '-q', '--monitor', '../monitors/live.ts', '--', 'node', 'add-on-signal.mjs'], join(FIXTURES, 'esm'));
  const done = collect(child);
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  // The app calls add once and then waits for SIGUSR2, so this line can only be live output.
  await waitForOutput(child, 'live: add returned 2\n');
  const pid = Number(/ready (\d+)/.exec(stdout)?.[1]);
  assert.ok(pid > 0, stdout);
  process.kill(pid, 'SIGUSR2');
  const r = await done;
  assert.equal(r.status, 4, r.stderr);
  assert.match(r.stdout, /live: add returned 2\nlive: add returned 4\nfinal: 2 calls\n/);
});

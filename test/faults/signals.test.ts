import { test } from 'node:test';
import { withoutNotices } from '../cli/mscope.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ROOT, collect, spawnMscope, waitForOutput } from '../cli/mscope.js';

// Signals that end a traced run, through the built CLI on real processes.
const dir = fileURLToPath(new URL('../fixtures/cli-faults/', import.meta.url));
// Quiet: these tests are about faults and signals, not DTrace's CPU ID FUNCTION:NAME lines.
const COUNT_ADD = '#pragma D option quiet\nfn::add:entry { @calls = count(); } END { printa("calls %@d\\n", @calls); }';

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(
    `${signal} to mscope ends a program busy in JavaScript, as it would untraced, and prints what was gathered`,
    {
      timeout: 30_000,
    },
    async () => {
      const child = spawnMscope(['run', '-e', COUNT_ADD, '--', 'node', 'busy.mjs'], dir);
      const done = collect(child);
      await waitForOutput(child, 'ready');
      child.kill(signal);
      const r = await done;
      assert.equal(r.status, signal === 'SIGINT' ? 130 : 143, r.stderr);
      assert.match(r.stdout, /^calls 10$/m);
      assert.match(withoutNotices(r.stderr), new RegExp(`^mscope: process \\d+ did not answer ${signal} .*\\n$`));
    },
  );
}

test('^C sent to the whole process group, as a terminal does, reaches the program once', { timeout: 30_000 }, async () => {
  const bin = fileURLToPath(new URL('bin/mscope.js', `file://${ROOT}`));
  const child = spawn(process.execPath, [bin, 'run', '-e', COUNT_ADD, '--', 'node', 'slow-shutdown.mjs'], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const done = collect(child);
  await waitForOutput(child, 'ready');
  process.kill(-child.pid!, 'SIGINT');
  const r = await done;
  assert.equal(r.status, 7, r.stderr);
  assert.equal(r.stdout.match(/app: shutting down/g)?.length, 1, r.stdout);
  assert.match(r.stdout, /^calls 2$/m);
  assert.equal(withoutNotices(r.stderr), '');
});

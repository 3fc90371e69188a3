import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { collect, ended } from '../cli/mscope.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// The runner on a file that hangs on purpose (test/fixtures/runner/hangs.test.ts): past its
// limit, what each of the file's processes waits on is printed before all of them are killed.
// Beside it a file that fails (fails.test.ts): why it failed is repeated after the summary.
test(
  'a hanging file is described, then killed with all it started; a failing one is explained after the summary',
  { timeout: 120_000 },
  async () => {
    const runner = spawn(process.execPath, ['scripts/test.mjs'], {
      cwd: ROOT,
      env: { ...process.env, MSCOPE_TEST_ROOT: 'test/fixtures/runner', MSCOPE_TEST_FILE_LIMIT_S: '5' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const r = await collect(runner);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /── test\/fixtures\/runner\/hangs\.test\.ts: TIMED OUT after 5 s/);
    const summary = r.stdout.indexOf('test files run on Node');
    assert.ok(summary !== -1, r.stdout);
    assert.match(
      r.stdout.slice(summary),
      /── why test\/fixtures\/runner\/fails\.test\.ts failed:\n(?:.*\n)*?.*the reason this fixture fails/,
    );
    assert.match(r.stdout, /── hung: \d+ processes in its group; reports asked of \d+ with SIGUSR2/);
    const about = async (file: string): Promise<string> => {
      const part = new RegExp(`── pid (\\d+): .*${file}\\n((?:   .*\\n)+)`).exec(r.stdout);
      assert.ok(part !== null, `nothing about ${file} in:\n${r.stdout}`);
      assert.ok(await ended(Number(part[1])), `${file} (pid ${part[1]}) still runs`);
      return part[2]!;
    };
    assert.match(
      await about('hangs\\.test\\.[jt]s'),
      /report: its event loop runs, waiting on \d+ referenced handles:\n(?:.*\n)*? {5}process \(active\) pid=\d+/,
    );
    assert.match(await about('idle.cjs'), /report: its event loop runs, waiting on \d+ referenced handles:\n {5}timer \(active\)/);
    assert.match(await about('blocked.cjs'), /no report within 5 s: its main thread does not return to the event loop/);
  },
);

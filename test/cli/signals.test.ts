import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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

test(
  "SIGINT ends a program that handles no signal under proc:::signal too: the watch is not the program's",
  { timeout: 30_000 },
  async () => {
    const child = spawnMscope(
      ['run', '-q', '-e', 'proc:::signal { @[args[0].signal] = count(); }', '--', 'node', 'wait-for-signal.mjs'],
      esm,
    );
    const done = collect(child);
    await waitForOutput(child, 'ready');
    child.kill('SIGINT');
    const r = await done;
    assert.equal(r.status, 130, r.stderr);
  },
);

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

test("a program using signal-exit dies of SIGINT as untraced: the agent's listeners are hidden from it", { timeout: 30_000 }, async () => {
  const child = spawnMscope(['run', '-q', '--monitor', '../monitors/count.ts', '--', 'node', 'signal-exit-app.mjs'], esm);
  const done = collect(child);
  await waitForOutput(child, 'ready');
  child.kill('SIGINT');
  const r = await done;
  assert.equal(r.status, 130, r.stderr);
  assert.match(r.stdout, /app: onExit null SIGINT/);
  assert.deepEqual([...countsByPid(r.stdout).values()], [{ add: 1 }]);
});

// A run that links offers its control socket, and one that rewrites keeps a cache pack: each
// removes its file at exit, by a listener the program must not see either.
for (const script of ['END {}', 'proc::: { @ = count(); }', 'fn:::entry { @ = count(); }', 'profile:::profile-997 { @ = count(); }']) {
  test(`process's listeners look to the program as they do untraced, under '${script}'`, async () => {
    const plain = spawnSync(process.execPath, ['listener-view.mjs'], { cwd: esm, encoding: 'utf8' });
    assert.equal(plain.status, 0, plain.stderr);
    const traced = await collect(spawnMscope(['run', '-q', '-e', script, '--', 'node', 'listener-view.mjs'], esm));
    assert.equal(traced.status, 0, traced.stderr);
    const seen = JSON.parse(traced.stdout.split('\n')[0]!) as { sigintCount: number };
    const untraced = JSON.parse(plain.stdout) as typeof seen;
    assert.deepEqual(seen, untraced);
    assert.equal(untraced.sigintCount, 1, 'the program sees its own SIGINT listener');
  });
}

test("process's listeners look to the program as they do untraced, under the standalone preload", () => {
  const view = (args: string[], env: NodeJS.ProcessEnv = {}): string => {
    const r = spawnSync(process.execPath, [...args, 'listener-view.mjs'], { cwd: esm, encoding: 'utf8', env: { ...process.env, ...env } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const program = 'fn:::entry { @ = count(); }';
  assert.equal(view(['--import', 'microscope/register'], { MSCOPE_PROGRAM: program, MSCOPE_OUTPUT: '/dev/null' }), view([]));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { controlDir, controlPath, controlRequest } from '../../src/weaver/index.js';

const APP = fileURLToPath(new URL('../fixtures/weaver/control-app.ts', import.meta.url));

test('control socket: list links and relink a live link across all bindings; no event lost or repeated', async () => {
  const child = fork(APP, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [hello] = (await once(child, 'message')) as [{ linkId: number }];
  const pid = child.pid!;

  const dirMode = statSync(controlDir()).mode & 0o777;
  assert.equal(dirMode, 0o700, 'only the same user can open the socket directory');
  assert.ok(statSync(controlPath(pid)).isSocket());

  const listed = await controlRequest(pid, { op: 'links' });
  assert.ok(listed.ok);
  const mine = listed.links!.find((l) => l.id === hello.linkId)!;
  assert.equal(mine.binding, 'message');
  assert.equal(mine.description, 'fn:ctl:tick:entry');

  for (const binding of ['direct', 'shm', 'message', 'direct'] as const) {
    const r = await controlRequest(pid, { op: 'relink', link: hello.linkId, binding });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.links![0]!.binding, binding);
  }
  const bad = await controlRequest(pid, { op: 'relink', link: 999, binding: 'shm' });
  assert.deepEqual(bad, { ok: false, error: 'no link 999' });

  const after = await controlRequest(pid, { op: 'links' });
  assert.ok(after.ok);
  assert.ok(after.links!.find((l) => l.id === hello.linkId)!.events > 0);

  child.send('stop');
  const [final] = (await once(child, 'message')) as [{ calls: number; count: number; drops: number }];
  assert.equal(final.drops, 0);
  assert.equal(final.count, final.calls);
  await once(child, 'exit');
});

test('an offered control socket starts when a client first asks for it, and nothing is left after exit', async () => {
  const child = fork(APP, ['offer'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [hello] = (await once(child, 'message')) as [{ linkId: number }];
  const pid = child.pid!;
  const wake = join(controlDir(), `${pid}.wake`);
  assert.equal(statSync(wake).mode & 0o777, 0o600);
  assert.equal(existsSync(controlPath(pid)), false, 'no socket until one is asked for');

  const listed = await controlRequest(pid, { op: 'links' });
  assert.ok(listed.ok);
  assert.ok(listed.links!.some((l) => l.id === hello.linkId));
  assert.ok(statSync(controlPath(pid)).isSocket());
  assert.equal(existsSync(wake), false, 'the wake file goes once the socket is up');
  const again = await controlRequest(pid, { op: 'relink', link: hello.linkId, binding: 'direct' });
  assert.ok(again.ok, JSON.stringify(again));

  child.send('stop');
  await once(child, 'message');
  await once(child, 'exit');
  assert.equal(existsSync(controlPath(pid)), false);
});

test('a process that offers its control socket removes what processes that are gone left in the directory', async () => {
  // Above Linux's largest pid: never a live process. Killed by SIGKILL, a process leaves both.
  const gone = [2 ** 22 + 12347, 2 ** 22 + 12348];
  const left = [join(controlDir(), `${gone[0]}.wake`), join(controlDir(), `${gone[1]}.sock`)];
  const alive = join(controlDir(), `${process.pid}.wake`);
  const other = join(controlDir(), 'not-a-pid.wake');
  // Named like a leftover but a directory: it cannot be removed, and the process serves all the same.
  const stuck = join(controlDir(), `${2 ** 22 + 12349}.sock`);
  for (const f of [...left, alive, other]) writeFileSync(f, '', { mode: 0o600 });
  mkdirSync(stuck);
  try {
    const child = fork(APP, ['offer'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    const first = await Promise.race([once(child, 'message').then(() => 'ready'), once(child, 'exit').then(() => 'exited')]);
    assert.equal(first, 'ready', 'the process offers its socket');
    for (const f of left) assert.equal(existsSync(f), false, `${f} is removed`);
    assert.equal(existsSync(alive), true, "a live process's file stays");
    assert.equal(existsSync(other), true, 'a file not named by a pid stays');
    assert.equal(existsSync(stuck), true);
    child.send('stop');
    await once(child, 'message');
    await once(child, 'exit');
  } finally {
    for (const f of [...left, alive, other, stuck]) rmSync(f, { force: true, recursive: true });
  }
});

test('a wake file left by a process that is gone is answered at once as no socket', async () => {
  const pid = 2 ** 22 + 12346;
  const wake = join(controlDir(), `${pid}.wake`);
  writeFileSync(wake, '', { mode: 0o600 });
  try {
    await assert.rejects(controlRequest(pid, { op: 'links' }, 60_000), {
      code: 'MSCOPE_BAD_USAGE',
      message: /has no mscope control socket/,
    });
  } finally {
    rmSync(wake, { force: true });
  }
});

test('a live process that leaves its wake file untouched is reported as not starting its socket', async () => {
  // This test's own process: alive, and it watches nothing.
  const wake = join(controlDir(), `${process.pid}.wake`);
  writeFileSync(wake, '', { mode: 0o600 });
  try {
    await assert.rejects(controlRequest(process.pid, { op: 'links' }, 300), {
      code: 'MSCOPE_BAD_USAGE',
      message: /did not start its mscope control socket within 300 ms/,
    });
  } finally {
    rmSync(wake, { force: true });
  }
});

test('controlRequest to a process without a control socket is a typed error', async () => {
  await assert.rejects(controlRequest(2 ** 22 + 12345, { op: 'links' }), { code: 'MSCOPE_BAD_USAGE' });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { collect, ended, ROOT } from '../cli/mscope.js';

// A CMD that `mscope run` starts before it has compiled the program: the agent holds it, before
// any of its program runs, until the session's monitors file appears (consumer/command-target.ts).
const REGISTER = pathToFileURL(join(ROOT, 'lib', 'agent', 'register.js')).href;

/** A Node process with an agent of a session whose monitors file is not written yet; its program writes `marker`. */
function heldNode(session: string, marker: string, consumerPid: number, preload = ''): ChildProcess {
  return spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, ''); console.log('ran')`], {
    env: {
      ...process.env,
      NODE_OPTIONS: `${preload} --import=${REGISTER}`.trim(),
      MSCOPE_SESSION: session,
      MSCOPE_MONITORS_FILE: join(session, 'monitors.json'),
      MSCOPE_OPTIONS: JSON.stringify({ root: session }),
      MSCOPE_CONSUMER_PID: String(consumerPid),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves once `pid` watches a directory (an inotify descriptor): its agent is waiting. Throws if it ends first. */
async function waiting(pid: number): Promise<void> {
  for (;;) {
    if (!existsSync(`/proc/${pid}/fd`)) throw new Error(`process ${pid} ended without waiting`);
    const fds = readdirSync(`/proc/${pid}/fd`).map((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    });
    if (fds.includes('anon_inode:inotify')) return;
    await delay(10);
  }
}

/** A scratch directory with an empty session directory in it, removed after `body`. */
async function inSession(body: (s: { root: string; dir: string; marker: string }) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'mscope-held-'));
  try {
    await body({ root, dir: mkdtempSync(join(root, 'session-')), marker: join(root, 'marker') });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** What mscope does once the program is compiled: the monitors file renamed into place. */
function release(dir: string): void {
  writeFileSync(join(dir, 'monitors.partial'), '[]');
  renameSync(join(dir, 'monitors.partial'), join(dir, 'monitors.json'));
}

test('a held process runs none of its program until the monitors are written, then runs it traced', { timeout: 60_000 }, async () => {
  await inSession(async ({ dir, marker }) => {
    const child = heldNode(dir, marker, process.pid);
    const done = collect(child);
    await waiting(child.pid!);
    assert.equal(existsSync(marker), false, 'the program ran before it was released');
    release(dir);
    const r = await done;
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'ran\n');
    assert.ok(existsSync(marker));
    assert.ok(existsSync(join(dir, `${child.pid}.ndjson`)), 'its agent reported to the session');
  });
});

test('without inotify a held process waits by looking for the file, and runs once it appears', { timeout: 60_000 }, async () => {
  await inSession(async ({ root, dir, marker }) => {
    const tried = join(root, 'watch-tried');
    // Every fs.watch fails, as it does once the user's inotify instances are used up.
    const noWatch = join(root, 'no-watch.cjs');
    writeFileSync(
      noWatch,
      `const fs = require('fs');
       fs.watch = () => {
         fs.writeFileSync(${JSON.stringify(tried)}, '');
         throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
       };
       require('module').syncBuiltinESMExports();`,
    );
    const child = heldNode(dir, marker, process.pid, `--require=${noWatch}`);
    const done = collect(child);
    while (!existsSync(tried)) {
      if (child.exitCode !== null) break;
      await delay(10);
    }
    assert.equal(existsSync(marker), false, 'the program ran before it was released');
    release(dir);
    const r = await done;
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'ran\n');
    assert.equal(r.stderr, '');
  });
});

/**
 * A stand-in for mscope: a process that starts the held process (its child, or with `viaParent`
 * its grandchild, through a Node process that runs no agent, as `node --test`'s runner does not)
 * and says its pid. The held process reports to this stand-in's pid.
 */
function standIn(dir: string, marker: string, viaParent: boolean): { parent: ChildProcess; held: Promise<number> } {
  const spawnHeld = `const c = spawn(process.execPath, ['-e', process.env.HELD_PROGRAM], { env: { ...process.env, NODE_OPTIONS: process.env.HELD_NODE_OPTIONS }, stdio: 'inherit' });
         console.log('held ' + c.pid);`;
  const between = `const { spawn } = require('child_process'); ${spawnHeld} c.on('exit', (code) => process.exit(code ?? 1));`;
  const parent = spawn(
    process.execPath,
    [
      '-e',
      `const { spawn } = require('child_process');
       process.env.MSCOPE_CONSUMER_PID = String(process.pid);
       ${viaParent ? `spawn(process.execPath, ['-e', ${JSON.stringify(between)}], { stdio: 'inherit' });` : spawnHeld}
       setInterval(() => {}, 1000);`,
    ],
    {
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        HELD_NODE_OPTIONS: `--import=${REGISTER}`,
        HELD_PROGRAM: `require('fs').writeFileSync(${JSON.stringify(marker)}, ''); console.log('ran')`,
        MSCOPE_SESSION: dir,
        MSCOPE_MONITORS_FILE: join(dir, 'monitors.json'),
        MSCOPE_OPTIONS: JSON.stringify({ root: dir }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  parent.stdout!.on('data', (d) => (out += d));
  const held = (async () => {
    while (!/^held \d+$/m.test(out)) {
      if (parent.exitCode !== null) throw new Error('the stand-in ended');
      await delay(10);
    }
    return Number(/^held (\d+)$/m.exec(out)![1]);
  })();
  return { parent, held };
}

for (const viaParent of [false, true]) {
  const who = viaParent ? "a held process started by a process that does not wait (mscope's grandchild)" : 'a held process';
  test(`${who} whose mscope is gone ends without running its program`, { timeout: 60_000 }, async () => {
    await inSession(async ({ dir, marker }) => {
      const { parent, held: heldPid } = standIn(dir, marker, viaParent);
      const done = collect(parent);
      const held = await heldPid;
      await waiting(held);
      parent.kill('SIGKILL');
      const r = await done;
      assert.equal(r.stdout, `held ${held}\n`);
      assert.equal(r.stderr, `mscope: mscope (pid ${parent.pid}) ended before it released this process; the program did not run\n`);
      assert.equal(existsSync(marker), false);
      assert.ok(await ended(held), 'the held process still runs');
    });
  });
}

test(
  "a held process started by a process that does not wait (mscope's grandchild) waits for the release, then runs",
  { timeout: 60_000 },
  async () => {
    await inSession(async ({ dir, marker }) => {
      const { parent, held: heldPid } = standIn(dir, marker, true);
      const done = collect(parent);
      try {
        const held = await heldPid;
        await waiting(held);
        assert.equal(existsSync(marker), false, 'the program ran before it was released');
        release(dir);
        // Its parent waits for it: once it has ended, /proc no longer has it.
        while (!existsSync(marker) && existsSync(`/proc/${held}`)) await delay(10);
        assert.ok(existsSync(marker), 'the held process ended without running its program');
      } finally {
        parent.kill('SIGKILL');
      }
      const r = await done;
      assert.match(r.stdout, /^ran$/m);
      assert.equal(r.stderr, '');
    });
  },
);

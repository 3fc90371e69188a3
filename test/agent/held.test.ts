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

test('a held process whose mscope is gone ends without running its program', { timeout: 60_000 }, async () => {
  await inSession(async ({ dir, marker }) => {
    // A stand-in for mscope: the held process's parent, which says its child's pid and then is killed.
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `const { spawn } = require('child_process');
         const env = { ...process.env, NODE_OPTIONS: process.env.HELD_NODE_OPTIONS, MSCOPE_CONSUMER_PID: String(process.pid) };
         const c = spawn(process.execPath, ['-e', process.env.HELD_PROGRAM], { env, stdio: 'inherit' });
         console.log('held ' + c.pid);
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
    const done = collect(parent);
    while (!/^held \d+$/m.test(out)) await delay(10);
    const held = Number(/^held (\d+)$/m.exec(out)![1]);
    await waiting(held);
    parent.kill('SIGKILL');
    const r = await done;
    assert.equal(r.stdout, `held ${held}\n`);
    assert.equal(r.stderr, `mscope: mscope (pid ${parent.pid}) ended before it released this process; the program did not run\n`);
    assert.equal(existsSync(marker), false);
    assert.ok(await ended(held), 'the held process still runs');
  });
});

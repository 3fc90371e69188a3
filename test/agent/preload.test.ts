import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collect, mscope, waitForOutput } from '../cli/mscope.js';

/**
 * `node --import microscope/register` and `node --require microscope/register` without mscope:
 * the package resolves itself by name from inside the repository, as it does from a user's
 * node_modules (test/package installs it and checks that too).
 */
const APP_DIR = fileURLToPath(new URL('../fixtures/preload/', import.meta.url));
const PRELOADS = ['--import', '--require'] as const;
// Quiet: the tests are about where the output goes, not DTrace's CPU ID FUNCTION:NAME lines.
const PROGRAM = '#pragma D option quiet\nfn::work:entry { @calls = count(); } END { printa("work called %@d times\\n", @calls); }';

function node(args: readonly string[], env: NodeJS.ProcessEnv = {}, wait = false) {
  const child = spawn(process.execPath, [...args, 'app.mjs', ...(wait ? ['wait'] : [])], {
    cwd: APP_DIR,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (!wait) child.stdin.end();
  return child;
}

test('the plain program', async () => {
  const plain = await collect(node([]));
  assert.equal(plain.stdout, 'Function.prototype.toString is native: true\nload-time rewrite installed: false\nsum 20\n');
  for (const preload of PRELOADS) {
    await test(`${preload} microscope/register alone leaves its output identical and installs no hooks`, async () => {
      const r = await collect(node([preload, 'microscope/register']));
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, plain.stdout);
      assert.equal(r.stderr, plain.stderr);
    });
  }
});

for (const preload of PRELOADS) {
  // Started after an await, the socket could come after the program's first lines: `mscope links`
  // run as the program said it was ready then found none (CI, Node 24, --require).
  test(`${preload}: the control socket is listening before the main module runs`, async () => {
    const child = spawn(process.execPath, [preload, 'microscope/register', 'socket-first.cjs'], {
      cwd: APP_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const r = await collect(child);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'socket at start: true\n');
  });

  test(`${preload}: mscope links PID reaches a preloaded process, and lists what MSCOPE_PROGRAM linked`, async () => {
    for (const program of [undefined, PROGRAM]) {
      const child = node([preload, 'microscope/register'], program === undefined ? {} : { MSCOPE_PROGRAM: program }, true);
      const done = collect(child);
      await waitForOutput(child, 'ready');
      const links = await mscope(['links', String(child.pid)], APP_DIR);
      child.stdin!.end();
      const r = await done;
      assert.equal(links.status, 0, links.stderr);
      assert.match(links.stdout, /^ LINK BINDING/);
      if (program === undefined) assert.equal(links.stdout.split('\n').length, 2, links.stdout);
      else assert.match(links.stdout, /^\s+\d+ direct\s+5\s+0\s+0 fn::work:entry$/m);
      assert.equal(r.status, 0, r.stderr);
    }
  });

  test(`${preload}: MSCOPE_PROGRAM traces the process and prints to stderr at exit, or to MSCOPE_OUTPUT`, async () => {
    const r = await collect(node([preload, 'microscope/register'], { MSCOPE_PROGRAM: PROGRAM }));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^sum 20$/m);
    assert.equal(r.stderr, 'work called 5 times\n');
    const dir = mkdtempSync(join(tmpdir(), 'mscope-preload-'));
    try {
      const file = join(dir, 'out.txt');
      const script = join(dir, 'calls.d');
      writeFileSync(script, PROGRAM);
      const f = await collect(node([preload, 'microscope/register'], { MSCOPE_PROGRAM_FILE: script, MSCOPE_OUTPUT: file }));
      assert.equal(f.status, 0, f.stderr);
      assert.equal(f.stderr, '');
      assert.equal(readFileSync(file, 'utf8'), 'work called 5 times\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a program that does not compile: its diagnostics on stderr, and the process runs untraced', async () => {
  const r = await collect(node(['--import', 'microscope/register'], { MSCOPE_PROGRAM: 'BEGIN { x = cuont; }' }));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^sum 20$/m);
  assert.match(r.stderr, /^MSCOPE_PROGRAM:1:13: unknown variable `cuont` \[D3002\]$/m);
  assert.match(r.stderr, /^mscope: the program does not compile; this process runs untraced$/m);
});

test('MSCOPE_PROM serves the process its accounting metrics on 127.0.0.1, and does not keep it alive', async () => {
  const port = await freePort();
  const child = node(['--import', 'microscope/register'], { MSCOPE_PROM: String(port) }, true);
  const done = collect(child);
  await waitForOutput(child, 'ready');
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  child.stdin!.end();
  const r = await done;
  assert.equal(r.status, 0, r.stderr);
  assert.match(metrics, /^# TYPE mscope_activity_latency_seconds histogram$/m);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

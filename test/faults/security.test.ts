import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type SpawnOptions } from 'node:child_process';
import { createConnection } from 'node:net';
import { once } from 'node:events';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, spawnMscope, waitForOutput, withoutNotices, type Result } from '../cli/mscope.js';

// "Another local user" is nobody (65534), present on every Debian machine; switching to it needs root.
const NOBODY = 65534;
const skip = process.getuid?.() === 0 ? false : 'needs root to act as a second local user (nobody, uid 65534)';
const BIN = new URL('../../bin/mscope.js', import.meta.url).pathname;
const TRACE = 'fn:::entry { @calls = count(); }';

/** A shared, sticky, world-writable directory standing in for /tmp, and a project in it. */
function sharedTmp(t: TestContext): { tmp: string; app: string; env: NodeJS.ProcessEnv } {
  const tmp = mkdtempSync(join(tmpdir(), 'mscope-sec-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  chmodSync(tmp, 0o1777);
  const app = join(tmp, 'app');
  mkdirSync(app, { mode: 0o755 });
  // A file where node_modules would be: the project-local cache cannot exist, so the cache falls back to tmpdir.
  writeFileSync(join(app, 'node_modules'), '', { mode: 0o644 });
  writeFileSync(join(app, 'app.js'), 'function greet() { console.log("hello"); }\ngreet();\n', { mode: 0o644 });
  writeFileSync(
    join(app, 'wait.js'),
    'function tick() { return 1; }\ntick();\nconst t = setInterval(tick, 1 << 30);\n' +
      'process.on("SIGUSR2", () => { clearInterval(t); console.log("bye"); process.exitCode = 3; });\n' +
      'console.log(`pid ${process.pid}`);\n',
    { mode: 0o644 },
  );
  const env: NodeJS.ProcessEnv = { TMPDIR: tmp, XDG_RUNTIME_DIR: '', MSCOPE_CACHE_DIR: '' };
  return { tmp, app, env };
}

function run(cmd: string, args: readonly string[], options: SpawnOptions): Promise<Result> {
  return collect(spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] }));
}

function asNobody(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Result> {
  return run(process.execPath, args, { cwd, env: { ...process.env, ...env }, uid: NOBODY, gid: NOBODY });
}

test("a cache planted by another user is never loaded into root's program", { skip }, async (t) => {
  const { tmp, app, env } = sharedTmp(t);
  // The attacker traces the same program to get well-formed entries, then plants doctored
  // copies everywhere root's cache could be: the old fixed path and the per-uid one.
  const own = await asNobody([BIN, 'run', '-q', '-e', TRACE, '--', 'node', 'app.js'], app, env);
  assert.equal(own.status, 0, own.stderr);
  const plant = `
    const fs = require('node:fs'), path = require('node:path');
    const tmp = ${JSON.stringify(tmp)};
    const entries = [];
    for (const d of fs.readdirSync(tmp)) {
      if (!d.startsWith('mscope-cache')) continue;
      for (const f of fs.readdirSync(path.join(tmp, d))) if (f.endsWith('.js')) entries.push([f, fs.readFileSync(path.join(tmp, d, f), 'utf8')]);
    }
    if (entries.length === 0) throw new Error('no cache entries to copy');
    for (const d of ['mscope-cache', 'mscope-cache-0']) {
      fs.mkdirSync(path.join(tmp, d), { recursive: true, mode: 0o777 });
      for (const [f, code] of entries)
        fs.writeFileSync(path.join(tmp, d, f), code.replace('console.log("hello")', 'console.log("ATTACKER CODE RUNNING AS uid=" + process.getuid())'));
    }`;
  const planted = await asNobody(['-e', plant], tmp, env);
  assert.equal(planted.status, 0, planted.stderr);

  const r = await collect(spawnMscope(['run', '-q', '-e', TRACE, '--', 'node', 'app.js'], app, env));
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /ATTACKER/);
  assert.match(r.stdout, /^hello$/m);
});

test('the cache root creates is private: a 0700 directory of 0600 entries, owned by root', { skip }, async (t) => {
  const { tmp, app, env } = sharedTmp(t);
  const r = await collect(spawnMscope(['run', '-q', '-e', TRACE, '--', 'node', 'app.js'], app, env));
  assert.equal(r.status, 0, r.stderr);
  const dirs = readdirSync(tmp).filter((d) => d.startsWith('mscope-cache'));
  assert.deepEqual(dirs, ['mscope-cache-0']);
  const dir = join(tmp, dirs[0]!);
  const st = lstatSync(dir);
  assert.ok(st.isDirectory());
  assert.equal(st.uid, 0);
  assert.equal(st.mode & 0o777, 0o700);
  // Node 22+ keeps V8's code cache in a v8/ subdirectory, private by being inside this one.
  const entries = readdirSync(dir).filter((f) => f.endsWith('.js'));
  assert.ok(entries.length > 0);
  for (const f of entries) assert.equal(lstatSync(join(dir, f)).mode & 0o777, 0o600, f);
});

/** Starts wait.js under mscope and returns its pid once it is running. */
async function startWaiting(t: TestContext, app: string, env: NodeJS.ProcessEnv) {
  const child = spawnMscope(['run', '-e', TRACE, '--', 'node', 'wait.js'], app, env);
  const result = collect(child);
  // A failed assertion must not leave the program waiting forever.
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await waitForOutput(child, '\n');
  const pid = Number(/pid (\d+)/.exec(out)![1]);
  t.after(() => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone: the test ended it.
    }
  });
  return { pid, result };
}

test("another user's <tmpdir>/mscope-<uid> neither switches tracing off nor hides the control socket", { skip }, async (t) => {
  const { tmp, app, env } = sharedTmp(t);
  const squat = await asNobody(['-e', `require('node:fs').mkdirSync(${JSON.stringify(join(tmp, 'mscope-0'))}, { mode: 0o777 })`], tmp, env);
  assert.equal(squat.status, 0, squat.stderr);

  const { pid, result } = await startWaiting(t, app, env);
  const links = await collect(spawnMscope(['links', String(pid)], app, env));
  assert.equal(links.status, 0, links.stderr);
  assert.match(links.stdout, /fn:::entry/);
  process.kill(pid, 'SIGUSR2');
  const r = await result;
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stdout, /^\s+1$/m, 'the traced call is counted');
});

/** Sends raw bytes to a control socket; resolves with everything it answered before closing. */
async function rawControl(path: string, bytes: string | Buffer): Promise<string> {
  const sock = createConnection(path);
  let answer = '';
  sock.setEncoding('utf8').on('data', (d: string) => (answer += d));
  // The server may hang up before taking all of an over-long request: that is the point. The
  // writer sees EPIPE, or ECONNRESET when the hang-up arrives first (seen on Node 26).
  sock.on('error', (e: NodeJS.ErrnoException) => assert.ok(e.code === 'EPIPE' || e.code === 'ECONNRESET', String(e.code)));
  await once(sock, 'connect');
  const closed = new Promise((resolve) => sock.once('close', resolve));
  sock.end(bytes);
  await closed;
  return answer;
}

test('malformed control messages are answered with an error and never reach the program', { skip }, async (t) => {
  const { tmp, app, env } = sharedTmp(t);
  const { pid, result } = await startWaiting(t, app, env);
  // The socket starts when a client first asks for it.
  const first = await collect(spawnMscope(['links', String(pid)], app, env));
  assert.equal(first.status, 0, first.stderr);
  const path = join(tmp, 'mscope-0', `${pid}.sock`);
  const bad = [
    'null',
    '[]',
    '"links"',
    '7',
    '{}',
    '{"op":null}',
    '{"op":"relink"}',
    '{"op":"relink","link":"1","binding":"shm"}',
    '{"op":"relink","link":1,"binding":{}}',
    '{"op":"links","x":',
  ];
  const answers = (await rawControl(path, bad.map((b) => `${b}\n`).join(''))).split('\n').filter((l) => l !== '');
  assert.equal(answers.length, bad.length, answers.join('\n'));
  for (const a of answers) assert.equal((JSON.parse(a) as { ok: boolean }).ok, false, a);

  // A request that never ends is cut off at the bound, not buffered without limit.
  const long = await rawControl(path, Buffer.alloc(64 << 10, 'x'));
  assert.match(long, /"ok":false.*too long/);

  const links = await collect(spawnMscope(['links', String(pid)], app, env));
  assert.equal(links.status, 0, links.stderr);
  process.kill(pid, 'SIGUSR2');
  const r = await result;
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stdout, /^bye$/m);
  assert.doesNotMatch(withoutNotices(r.stderr), /TypeError|Unhandled|fault/);
});

test('names and strings from the program reach the terminal escaped: no escape sequence, NUL or forged line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-esc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const name = '\\x1b[31mred\\nX\\0';
  writeFileSync(join(dir, 'esc.js'), `const o = { "${name}": function () { return 1; } };\no["${name}"]();\n`);
  const shown = 'o.\\033[31mred\\nX\\0:entry';

  const defaults = await collect(spawnMscope(['run', '-e', 'fn:::entry', '--', 'node', 'esc.js'], dir));
  assert.equal(defaults.status, 0, defaults.stderr);
  assert.doesNotMatch(defaults.stdout, /[\x00\x1b]/);
  assert.ok(defaults.stdout.includes(` ${shown} \n`), defaults.stdout);

  const faults = await collect(
    spawnMscope(['run', '-q', '-e', 'fn:::entry { this->z = 0; x = 1 / this->z; }', '--', 'node', 'esc.js'], dir),
  );
  // The fault line is a diagnostic: checked wherever it is printed, stdout or stderr.
  const both = faults.stdout + faults.stderr;
  assert.doesNotMatch(both, /[\x00\x1b]/);
  assert.ok(both.includes(`(fn:esc.js:${shown}): divide-by-zero\n`), both);
});

test('trace() of a program string that is not printable prints a hex dump, as DTrace does', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-esc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'esc.js'), 'const o = { "\\x1b]0;owned\\x07": function () { return 1; } };\no["\\x1b]0;owned\\x07"]();\n');
  const r = await collect(spawnMscope(['run', '-q', '-e', 'fn:::entry { trace(probefunc); }', '--', 'node', 'esc.js'], dir));
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /\x1b/);
  assert.match(r.stdout, /^ {9}0: 6f 2e 1b 5d 30 3b 6f 77 6e 65 64 07 {14}o\.\.\]0;owned\.$/m);
});

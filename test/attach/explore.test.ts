import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { mscope, withoutNotices } from '../cli/mscope.js';
import {
  assertRefusedToNobody,
  asRoot,
  INSPECT_ANY_PORT,
  assertLeftAsFound,
  attach,
  startApp,
  type App,
  type Attached,
} from './harness.js';

/**
 * mscope explore PID: the Latency Explorer live over a server started plainly with node,
 * accounting switched on in it by attach and off again at ^C; read through the page's JSON API.
 */
const CHROMIUM = process.env.MSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const NO_BROWSER = process.env.MSCOPE_NO_BROWSER === '1';
const dir = mkdtempSync(join(tmpdir(), 'mscope-explore-pid-'));
/** How long any one wait may take before the test fails, in one line. */
const WAIT_MS = 60_000;

function within<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const late = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${WAIT_MS} ms`)), WAIT_MS)),
  );
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Attached, or a failure that shows what the program said (Node's inspector lines among it). */
function attachedTo(a: Attached, app: App): Promise<void> {
  return within(a.attached, 'mscope explore saying it attached').catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; the program's stderr: ${app.stderr()}`);
  });
}

function api<T>(url: URL, path: string, params: Record<string, string> = {}): Promise<T> {
  const query = new URLSearchParams({ ...params, token: url.searchParams.get('token')! });
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: url.port, path: `${path}?${query}` }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(JSON.parse(body) as T) : reject(new Error(`${path}: ${res.statusCode} ${body}`)),
      );
    })
      .on('error', reject)
      .end();
  });
}

interface Meta {
  total: number;
  live: boolean;
  path: string;
  axes: Array<{ name: string }>;
}
interface Selected {
  filtered: number;
  rows: Array<Record<string, number | string>>;
}

async function untilTotal(url: URL, n: number): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (let total = (await api<Meta>(url, '/api/meta')).total; total < n; total = (await api<Meta>(url, '/api/meta')).total) {
    if (Date.now() > deadline) assert.fail(`${total} activities on the page after ${WAIT_MS} ms, expected ${n}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * SIGUSR1 opens the inspector on a free port (as splice.test.ts does): at Node's default, 9229, another process's
 * inspector on this machine (another test's attach) made it fail to bind ('address already in use').
 */

/** Every fourth request reads a file and waits on a timer: its fs and timer times are not zero. */
const PATHS = Array.from({ length: 16 }, (_, i) => (i % 4 === 3 ? `/slow${i}` : `/fast${i}`));

async function get(app: App, paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) out.push(await app.get(p));
  return out;
}

test('mscope explore PID: the live page over a plain server, its activities with their subsystem times; ^C detaches, accounting gone, the store kept', async () => {
  // --expose-internals: the program's fingerprint then counts enabled async hooks (accounting's must go).
  const app = await startApp([INSPECT_ANY_PORT, '--expose-internals', 'acct-server.cjs']);
  try {
    const untraced = await get(app, PATHS);
    const before = (await app.state()) as { asyncHooks: number; subscribed: string[] };
    assert.equal(before.asyncHooks, 0);
    const store = join(dir, 'explore.db');
    const a = attach(['explore', '--store', store, String(app.pid)]);
    let err = '';
    a.child.stderr!.on('data', (d: string) => (err += d));
    await attachedTo(a, app);
    const url = new URL(/^mscope: Latency Explorer: open (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)$/m.exec(err)![1]!);
    const during = (await app.state()) as { asyncHooks: number; subscribed: string[] };
    assert.ok(during.asyncHooks > 0, 'accounting runs its async hook while attached');
    assert.ok(during.subscribed.includes('http.server.request.start'), during.subscribed.join());

    assert.deepEqual(await get(app, PATHS), untraced);
    await untilTotal(url, PATHS.length);
    const meta = await api<Meta>(url, '/api/meta');
    assert.equal(meta.live, true);
    assert.equal(meta.total, PATHS.length);
    assert.match(meta.path, /^live: \S+ --inspect-port=0 --expose-internals acct-server\.cjs$/);
    const axes = meta.axes.map((x) => x.name);
    for (const axis of ['latency_ns', 'cpu_ns', 'fs_ns', 'timer_ns']) assert.ok(axes.includes(axis), `axis ${axis} in ${axes.join()}`);

    const all = await api<Selected>(url, '/api/select', { q: JSON.stringify({ limit: 100 }) });
    assert.deepEqual(all.rows.map((r) => r.token).sort(), PATHS.map((p) => `GET ${p}`).sort());
    for (const row of all.rows) {
      const slow = String(row.token).startsWith('GET /slow');
      assert.ok((row.cpu_ns as number) > 0, `cpu_ns of ${row.token}`);
      assert.equal((row.fs_ns as number) > 0, slow, `fs_ns of ${row.token}: ${row.fs_ns}`);
      assert.equal((row.timer_ns as number) > 0, slow, `timer_ns of ${row.token}: ${row.timer_ns}`);
    }
    // An axis filter: the requests that spent time in fs are exactly the slow ones.
    const fs = await api<Selected>(url, '/api/select', { q: JSON.stringify({ filters: { fs_ns: [[1, Number.MAX_VALUE]] } }) });
    assert.equal(fs.filtered, 4);
    assert.deepEqual(fs.rows.map((r) => r.token).sort(), ['GET /slow11', 'GET /slow15', 'GET /slow3', 'GET /slow7']);
    const record = await api<{ pid: number; fs_count: number; timer_count: number }>(url, '/api/activity', { id: String(fs.rows[0]!.id) });
    assert.deepEqual([record.pid, record.fs_count, record.timer_count], [app.pid, 1, 1]);

    let total = PATHS.length;
    if (!NO_BROWSER) {
      if (!existsSync(CHROMIUM)) throw new Error(`the Latency Explorer tests need Chromium at ${CHROMIUM} (apt-get install chromium)`);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(url.href);
        await page.waitForSelector('body[data-ready]', { state: 'attached', timeout: WAIT_MS });
        assert.equal(await page.getAttribute('body', 'data-ready'), 'true', errors.join('; '));
        assert.match((await page.textContent('#status'))!, /^16 activities so far \(live\)\./);
        // The page polls: activities of the attached process that arrive later are drawn without a reload.
        await get(app, ['/slow-late', '/fast-late']);
        total += 2;
        await page.waitForFunction(
          (n) => (window as unknown as { explorer: { result: { total: number } } }).explorer.result.total === n,
          total,
          { timeout: WAIT_MS },
        );
        assert.match((await page.textContent('#status'))!, /^18 activities so far \(live\)\./);
        assert.deepEqual(errors, []);
      } finally {
        await browser.close();
      }
    }

    const r = await within(a.detach(), 'mscope explore ending at ^C');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`^mscope: detached from process ${app.pid}$`, 'm'));
    assert.match(
      r.stderr,
      new RegExp(`^mscope: accounting: ${total} activities recorded in ${store.replace(/[.]/g, '\\.')} \\(run 1\\)$`, 'm'),
    );
    // ^C ends an attach's page with it (only a process that ends by itself leaves it serving).
    assert.doesNotMatch(r.stderr, /still serves/);
    // The process as it was: no hook, subscription, listener or thread of ours; the same answers.
    assertLeftAsFound(await app.state(), before);
    assert.deepEqual(await get(app, PATHS), untraced);
    const report = await mscope(['report', '--runs', store], dir);
    assert.equal(report.status, 0, report.stderr);
    assert.match(
      report.stdout,
      new RegExp(`^1\\s+\\S+\\s+${app.pid}\\s+${total}\\s+\\S+ ${INSPECT_ANY_PORT} --expose-internals acct-server\\.cjs$`, 'm'),
    );
    assert.equal(await app.end(), 0);
  } finally {
    app.child.kill();
  }
});

/** Polls `path` until `done` holds of its answer, or fails with the last answer. */
async function until<T>(url: URL, path: string, done: (answer: T) => boolean): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (let answer = await api<T>(url, path); ; answer = await api<T>(url, path)) {
    if (done(answer)) return answer;
    if (Date.now() > deadline) assert.fail(`${path} after ${WAIT_MS} ms: ${JSON.stringify(answer)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('mscope explore PID -e PROGRAM --functions FUNC: the D aggregations and the function view of the attached process, live; ^C prints END as attach does', async () => {
  const app = await startApp([INSPECT_ANY_PORT, 'acct-server.cjs']);
  const a = attach([
    'explore',
    '-e',
    'http:server::request-done { @served[args[0].status] = count(); }',
    '--functions',
    'handle',
    String(app.pid),
  ]);
  let err = '';
  a.child.stderr!.on('data', (d: string) => (err += d));
  try {
    await attachedTo(a, app);
    const url = new URL(/Latency Explorer: open (\S+)\n/.exec(err)![1]!);
    await get(app, PATHS);
    await untilTotal(url, PATHS.length);
    type Aggregation = { name: string; rows: Array<{ keys: unknown[]; value?: number }> };
    const aggs = await until<Aggregation[]>(
      url,
      '/api/aggregations',
      (as) => as.find((x) => x.name === '@served')?.rows[0]?.value === PATHS.length,
    );
    assert.deepEqual(
      aggs.find((x) => x.name === '@served')!.rows.map((r) => r.keys),
      [[200]],
    );
    type Functions = { total: Array<{ name: string; values: Record<string, number | null> }> };
    const fns = await until<Functions>(url, '/api/functions', (f) => f.total.some((row) => row.values.calls === PATHS.length));
    assert.deepEqual(
      fns.total.map((row) => row.name),
      ['acct-server.cjs:handle'],
    );
    const r = await within(a.detach(), 'mscope explore ending at ^C');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^\\s+200\\s+${PATHS.length}$`, 'm'));
    assert.equal(await app.end(), 0);
  } finally {
    a.child.kill('SIGKILL');
    app.child.kill();
  }
});

test('mscope explore PID: the process ends first, and the page serves on until ^C', async () => {
  const app = await startApp([INSPECT_ANY_PORT, 'acct-server.cjs']);
  const a = attach(['explore', String(app.pid)]);
  let err = '';
  a.child.stderr!.on('data', (d: string) => (err += d));
  try {
    await attachedTo(a, app);
    const url = new URL(/Latency Explorer: open (\S+)\n/.exec(err)![1]!);
    await get(app, ['/slow0', '/fast1']);
    await untilTotal(url, 2);
    assert.equal(await app.end(), 0);
    await within(
      new Promise<void>((resolve) => {
        const look = (): void => void (/the Latency Explorer still serves/.test(err) && resolve());
        a.child.stderr!.on('data', look);
        look();
      }),
      'mscope explore saying the page serves on',
    );
    assert.match(err, new RegExp(`^mscope: process ${app.pid} has exited$`, 'm'));
    assert.match(
      err,
      new RegExp(
        `^mscope: tracing of process ${app.pid} has ended; the Latency Explorer still serves ${url.href.replace(/[.?]/g, '\\$&')} \\(\\^C stops\\)$`,
        'm',
      ),
    );
    assert.equal((await api<Meta>(url, '/api/meta')).total, 2);
    const r = await within(a.detach(), 'mscope explore ending at ^C');
    assert.equal(r.status, 0, r.stderr);
  } finally {
    a.child.kill('SIGKILL');
    app.child.kill();
  }
});

test('mscope explore PID refusals: one line each, a non-zero exit, the process untouched', async (t) => {
  await t.test('no such process (and no store file of that name)', async () => {
    const pid = String(2 ** 22 + 12345);
    const r = await mscope(['explore', pid], dir);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `mscope explore: no process ${pid}, and no store file named ${pid}\n`);
  });
  await t.test('not a Node.js process: no signal is sent to it', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const r = await mscope(['explore', String(sleeper.pid)], dir);
      assert.equal(r.status, 1);
      assert.match(r.stderr, new RegExp(`^mscope explore: process ${sleeper.pid} is not a Node\\.js process \\(.*sleep\\)\\n$`));
      assert.equal(sleeper.exitCode, null);
      assert.equal(sleeper.signalCode, null);
    } finally {
      sleeper.kill();
    }
  });
  await t.test('a port in use: refused before the process is touched, and no store written', async () => {
    const app = await startApp([INSPECT_ANY_PORT, 'acct-server.cjs']);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as AddressInfo).port;
      const store = join(dir, 'not-written.db');
      const r = await mscope(['explore', '--port', String(port), '--store', store, String(app.pid)], dir);
      assert.equal(r.status, 2);
      assert.equal(withoutNotices(r.stderr), `mscope explore: cannot serve on 127.0.0.1:${port}: EADDRINUSE\n`);
      assert.equal(((await app.state()) as { inspector: unknown }).inspector, null);
      assert.doesNotMatch(app.stderr(), /Debugger/);
      assert.equal(existsSync(store), false);
    } finally {
      taken.close();
      app.child.kill();
    }
  });
  await t.test('usage: a STORE option with a PID, a PID option with a STORE, a bad port', async () => {
    for (const [args, message] of [
      [['explore', '--run', '1', String(process.pid)], 'mscope explore: --run chooses a run of a STORE; a PID is explored live'],
      [
        ['explore', '--store', 'x.db', 'some.db'],
        'mscope explore: --store applies to a running process (mscope explore PID), not to a STORE',
      ],
      [['explore', '--port', 'x', String(process.pid)], 'mscope explore: --port expects a port number, got "x"'],
    ] as const) {
      const r = await mscope(args, dir);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr, `${message}\n`);
    }
  });
});

test("mscope explore PID: another user's process is refused", { skip: asRoot }, async () => {
  const app = await startApp([INSPECT_ANY_PORT, 'acct-server.cjs']);
  try {
    await assertRefusedToNobody(app, ['explore', String(app.pid)], 'explore');
  } finally {
    app.child.kill();
  }
});

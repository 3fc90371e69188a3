import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { ChildProcess } from 'node:child_process';
import { ROOT, WAIT_MS, bounded, mscope, spawnMscope } from '../cli/mscope.js';
import type { ProcessLinks } from '../../src/ui/index.js';
import type { JsonAggregation } from '../../src/aggregate/index.js';

const CHROMIUM = process.env.MSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const NO_BROWSER = process.env.MSCOPE_NO_BROWSER === '1' ? 'MSCOPE_NO_BROWSER=1' : false;
const SERVER = join(ROOT, 'test/fixtures/ui/live-server.cjs');
const dir = mkdtempSync(join(tmpdir(), 'mscope-explore-live-'));

let run: ChildProcess | undefined;
let browser: Browser | undefined;

after(async () => {
  await browser?.close();
  run?.kill('SIGKILL');
});

function fetchText(port: string | number, path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    })
      .on('error', reject)
      .end();
  });
}

async function aggregations(url: URL): Promise<JsonAggregation[]> {
  const r = await fetchText(url.port, `/api/aggregations?token=${url.searchParams.get('token')}`);
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body) as JsonAggregation[];
}

async function functions(url: URL): Promise<{ total: Array<{ name: string; values: Record<string, number | null> }> }> {
  const r = await fetchText(url.port, `/api/functions?token=${url.searchParams.get('token')}`);
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body) as { total: Array<{ name: string; values: Record<string, number | null> }> };
}

async function links(url: URL): Promise<ProcessLinks[]> {
  const r = await fetchText(url.port, `/api/links?token=${url.searchParams.get('token')}`);
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body) as ProcessLinks[];
}

async function requests(port: number, paths: readonly string[]): Promise<void> {
  for (const p of paths) assert.equal((await fetchText(port, p)).status, 200);
}

/** Everything a stream prints, kept from the start, so that no line is missed between two waits. */
function collect(stream: NodeJS.ReadableStream, what: string): (re: RegExp) => Promise<RegExpExecArray> {
  let text = '';
  let ended = false;
  const waiters = new Set<() => void>();
  stream.setEncoding('utf8');
  stream.on('data', (d: string) => {
    text += d;
    for (const w of waiters) w();
  });
  stream.once('end', () => {
    ended = true;
    for (const w of waiters) w();
  });
  return (re) =>
    new Promise((resolve, reject) => {
      // A line that never comes fails here in one message, not at the runner's 300 s limit.
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`${what} did not print ${re} within ${WAIT_MS} ms: ${text}`));
      }, WAIT_MS);
      const check = (): void => {
        const m = re.exec(text);
        if (m !== null || ended) {
          waiters.delete(check);
          clearTimeout(timer);
        }
        if (m !== null) resolve(m);
        else if (ended) reject(new Error(`${what} never printed ${re}: ${text}`));
      };
      waiters.add(check);
      check();
    });
}

async function meta(url: URL): Promise<{ total: number; live: boolean; path: string }> {
  const r = await fetchText(url.port, `/api/meta?token=${url.searchParams.get('token')}`);
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body) as { total: number; live: boolean; path: string };
}

async function untilTotal(url: URL, n: number): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (let total = (await meta(url)).total; total < n; total = (await meta(url)).total) {
    if (Date.now() > deadline) assert.fail(`${total} activities after ${WAIT_MS} ms, expected ${n}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test(
  '--explore serves the activities of a running CMD as they arrive, its D aggregations, its links with a relink control, and after it exits until ^C',
  { skip: NO_BROWSER },
  async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`the Latency Explorer tests need Chromium at ${CHROMIUM} (apt-get install chromium)`);
    run = spawnMscope(
      [
        'run',
        '-q',
        '--explore',
        '--functions',
        'handle',
        '-e',
        'http:server::request-done { @served = count(); @latency[args[0].url] = quantize(args[0].latency_ns); }',
        '--',
        process.execPath,
        SERVER,
      ],
      // The server's own module is instrumented (fn probes) only under the run's root.
      dirname(SERVER),
    );
    const stderr = collect(run.stderr!, 'mscope');
    const stdout = collect(run.stdout!, 'the server');
    const [urlMatch, portMatch] = await Promise.all([stderr(/Latency Explorer: open (http:\/\/\S+)\n/), stdout(/port (\d+)\n/)]);
    const url = new URL(urlMatch[1]!);
    const port = Number(portMatch[1]);
    const first = await meta(url);
    assert.equal(first.live, true);
    assert.equal(first.path, `live: ${process.execPath} ${SERVER}`);

    await requests(
      port,
      Array.from({ length: 10 }, (_, i) => (i === 9 ? '/slow' : '/fast')),
    );
    await untilTotal(url, 10);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url.href);
    await page.waitForSelector('body[data-ready]', { state: 'attached', timeout: 60_000 });
    assert.equal(await page.getAttribute('body', 'data-ready'), 'true', errors.join('; '));
    assert.match((await page.textContent('#status'))!, /^10 activities so far \(live\)\./);

    await requests(
      port,
      Array.from({ length: 15 }, () => '/fast'),
    );
    await untilTotal(url, 25);
    // The page polls: it redraws with the new activities without a reload, counting every one.
    await page.waitForFunction(
      () => (window as unknown as { explorer: { result: { total: number } } }).explorer.result.total === 25,
      null,
      {
        timeout: 30_000,
      },
    );
    const histogram = await page.evaluate(
      () => (window as unknown as { explorer: { result: { histogram: { counts: number[] } } } }).explorer.result.histogram.counts,
    );
    assert.equal(
      histogram.reduce((a, b) => a + b, 0),
      25,
    );
    assert.match((await page.textContent('#status'))!, /^25 activities so far \(live\)\./);

    // The D program's aggregations, merged in mscope: a count as a table, a quantization per key as a chart.
    await page.waitForFunction(
      () => {
        const aggs = (window as unknown as { explorer: { aggregations: Array<{ name: string; rows: Array<{ value?: number }> }> | null } })
          .explorer.aggregations;
        return aggs?.find((a) => a.name === '@served')?.rows[0]?.value === 25;
      },
      null,
      { timeout: 30_000 },
    );
    const aggs = await aggregations(url);
    const latency = aggs.find((a) => a.name === '@latency')!;
    assert.equal(latency.kind, 'quantize');
    assert.deepEqual(latency.rows.map((r) => r.keys[0]).sort(), ['/fast', '/slow']);
    const fast = latency.rows.find((r) => r.keys[0] === '/fast')!;
    assert.ok('buckets' in fast);
    const fastCounts = fast.buckets.reduce((n, b) => n + b.count, 0);
    assert.equal(fastCounts, 24);
    assert.equal(await page.locator('div.aggregation[data-name="@served"] td').nth(1).textContent(), '25');
    assert.equal(await page.locator('div.aggregation[data-name="@latency"] div.chart').count(), 2);

    // kperfmon's view of the function --functions picked: every call counted, with wall time and vtime.
    await page.waitForFunction(
      () => {
        type Row = { name: string; values: Record<string, number | null> };
        const f = (window as unknown as { explorer: { functions: { total: Row[] } | null } }).explorer.functions;
        return f?.total.find((r) => r.name.endsWith(':handle'))?.values.calls === 25;
      },
      null,
      { timeout: 30_000 },
    );
    const handle = (await functions(url)).total.find((r) => r.name.endsWith(':handle'))!;
    assert.equal(handle.name, 'live-server.cjs:handle');
    assert.equal(handle.values.calls, 25);
    assert.equal(handle.values.inflight, 0);
    assert.ok(handle.values.wall! > 0 && handle.values.vtime! > 0, JSON.stringify(handle.values));
    await page.click('#fn-total');
    await page
      .locator('#function-table tr[data-name="live-server.cjs:handle"] td')
      .nth(1)
      .filter({ hasText: /^25$/ })
      .waitFor({ timeout: 30_000 });

    // The D program's link in the server process, shown and relinked from the page.
    const row = page.locator('#links tr[data-link]').filter({ hasText: 'http:server::request-done' });
    await row.waitFor({ timeout: 30_000 });
    const pid = Number(await row.getAttribute('data-pid'));
    const before = (await links(url)).find((p) => p.pid === pid)!.links!.find((l) => l.description.includes('request-done'))!;
    assert.equal(before.binding, 'direct');
    assert.equal(await row.locator('td').nth(2).textContent(), 'direct');
    await row.locator('select').selectOption('shm');
    await row.locator('button').click();
    await page.waitForFunction(() => document.getElementById('relink-status')!.textContent !== '', null, { timeout: 30_000 });
    assert.equal(await page.textContent('#relink-status'), `link ${before.id} of process ${pid} is now bound by shm`);
    const after = (await links(url)).find((p) => p.pid === pid)!.links!.find((l) => l.id === before.id)!;
    assert.equal(after.binding, 'shm');
    await page.locator(`#links tr[data-link="${before.id}"] td:nth-child(3)`).filter({ hasText: 'shm' }).waitFor({ timeout: 30_000 });
    // MSCOPE_LIVE_SCREENSHOT=docs/explorer-live.png refreshes the README's picture of the live sections.
    if (process.env.MSCOPE_LIVE_SCREENSHOT !== undefined) await page.locator('#aggregations').evaluate((e) => e.scrollIntoView());
    if (process.env.MSCOPE_LIVE_SCREENSHOT !== undefined)
      await page.screenshot({ path: process.env.MSCOPE_LIVE_SCREENSHOT, fullPage: true });
    // A relink the process refuses is its one-line reason on the page, not a broken page.
    const refused = await fetchText(
      url.port,
      `/api/relink?${new URLSearchParams({ pid: String(pid), link: '9999', binding: 'shm', token: url.searchParams.get('token')! })}`,
      'POST',
    );
    assert.equal(refused.status, 400);
    assert.match((JSON.parse(refused.body) as { error: string }).error, /9999/);
    assert.deepEqual(errors, []);

    const exited = new Promise<number | null>((resolve) => run!.once('exit', resolve));
    await requests(port, ['/quit']);
    await stderr(/exited with status 0; the Latency Explorer still serves http:\S+ \(\^C stops\)\n/);
    // Every activity of the run, /quit's too, stays explorable after CMD is gone.
    await untilTotal(url, 26);
    assert.equal((await meta(url)).total, 26);
    run.kill('SIGINT');
    assert.equal(await bounded(exited, 'mscope to exit on ^C', () => 'the page still open'), 0);
  },
);

test('--explore needs a CMD or a PID; --port and --functions needs --explore and FUNC or MODULE:FUNC globs', async () => {
  const none = await mscope(['run', '--explore', '-e', 'BEGIN { exit(0); }'], dir);
  assert.equal(none.stderr, 'mscope run: --explore needs -- CMD or -p PID\n');
  assert.equal(none.status, 2);
  const alone = await mscope(['run', '--functions', 'handle', '--', process.execPath, '-e', '0'], dir);
  assert.equal(alone.stderr, 'mscope run: --functions is a view of --explore; give both\n');
  assert.equal(alone.status, 2);
  const bad = await mscope(['run', '--explore', '--functions', 'a:b:c', '--', process.execPath, '-e', '0'], dir);
  assert.equal(bad.stderr, 'mscope run: --functions expects FUNC or MODULE:FUNC globs, got "a:b:c"\n');
  assert.equal(bad.status, 2);
  const port = await mscope(['run', '--port', '0', '--', process.execPath, '-e', '0'], dir);
  assert.equal(port.stderr, "mscope run: --port is the Latency Explorer's; give --explore\n");
  assert.equal(port.status, 2);
});

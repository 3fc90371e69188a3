import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ChildProcess } from 'node:child_process';
import { binOf, type SelectionResult } from '../../src/ui/index.js';
import { ROOT, bounded, mscope, spawnMscope } from '../cli/mscope.js';

const CHROMIUM = process.env.MSCOPE_CHROMIUM ?? '/usr/bin/chromium';
/** Only an explicit MSCOPE_NO_BROWSER=1 skips the browser cases; a missing Chromium fails them. */
const NO_BROWSER = process.env.MSCOPE_NO_BROWSER === '1' ? 'MSCOPE_NO_BROWSER=1' : false;
const SERVER = join(ROOT, 'examples/explorer/slow-server.js');
const REQUESTS = 60;
const SLOW = REQUESTS / 10;

const dir = mkdtempSync(join(tmpdir(), 'mscope-explore-'));
let explorer: { child: ChildProcess; url: URL } | undefined;
let browser: Browser | undefined;
let page: Page | undefined;

/** One store from a real traced server and one `mscope explore` over it, for every case. */
async function explore(): Promise<{ child: ChildProcess; url: URL }> {
  if (explorer !== undefined) return explorer;
  const made = await mscope(['run', '--acct', '--store', 'slow.db', '-q', '--', process.execPath, SERVER, String(REQUESTS)], dir);
  assert.equal(made.status, 0, made.stderr);
  const child = spawnMscope(['explore', 'slow.db'], dir);
  let out = '';
  const printed = new Promise<URL>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /open (http:\/\/\S+)/.exec(out);
      if (m !== null) resolve(new URL(m[1]!));
    });
    child.once('exit', (code) => reject(new Error(`mscope explore exited ${code} before printing its URL: ${out}`)));
  });
  const url = await bounded(printed, "mscope explore's URL on its stdout", () => out);
  assert.match(url.href, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}$/);
  return (explorer = { child, url });
}

async function openPage(): Promise<Page> {
  if (page !== undefined) return page;
  if (!existsSync(CHROMIUM))
    throw new Error(
      `the Latency Explorer tests need Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does), set MSCOPE_CHROMIUM, or MSCOPE_NO_BROWSER=1 to skip them`,
    );
  const { url } = await explore();
  // Root (CI, containers) cannot use Chromium's sandbox.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url.href);
  await page.waitForSelector('body[data-ready]', { state: 'attached', timeout: 60_000 });
  assert.equal(await page.getAttribute('body', 'data-ready'), 'true', `${await page.textContent('#status')} ${errors.join('; ')}`);
  return page;
}

/** GET on the explorer with the given path, query and Host header. */
function get(path: string, host?: string): Promise<{ status: number; body: string }> {
  const { url } = explorer!;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, path, headers: host === undefined ? {} : { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function api<T>(path: string, params: Record<string, string> = {}): Promise<T> {
  const token = explorer!.url.searchParams.get('token')!;
  const r = await get(`${path}?${new URLSearchParams({ ...params, token })}`);
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body) as T;
}

after(async () => {
  await browser?.close();
  if (explorer !== undefined) {
    const exited = new Promise((resolve) => explorer!.child.once('exit', resolve));
    explorer.child.kill('SIGINT');
    assert.equal(await exited, 0, 'mscope explore exits 0 on ^C');
  }
});

test('requests without the token, with a wrong one, or for another Host are refused', async () => {
  const { url } = await explore();
  const token = url.searchParams.get('token')!;
  assert.equal((await get(`/api/meta?token=${token}`)).status, 200);
  assert.equal((await get(`/api/meta?token=${token}`, `localhost:${url.port}`)).status, 200);
  for (const [path, host] of [
    ['/', undefined],
    ['/api/meta', undefined],
    [`/api/meta?token=${token.slice(1)}x`, undefined],
    ['/echarts.js', undefined],
    [`/api/meta?token=${token}`, `evil.example:${url.port}`],
    [`/?token=${token}`, `127.0.0.1.evil.example:${url.port}`],
  ] as const) {
    const r = await get(path, host);
    assert.equal(r.status, 403, `${path} Host ${host ?? '(right)'}: ${r.body}`);
    assert.ok(!r.body.includes('latency_ns'));
  }
});

test('a missing store or a file that is not a store is one line and a non-zero exit', async () => {
  const missing = await mscope(['explore', 'nope.db'], dir);
  assert.equal(missing.stderr, 'mscope explore: no such file: nope.db\n');
  assert.notEqual(missing.status, 0);
  writeFileSync(join(dir, 'notes.txt'), 'not a database\n'.repeat(100));
  const wrong = await mscope(['explore', 'notes.txt'], dir);
  assert.match(wrong.stderr, /^mscope explore: notes\.txt is not an accounting store \([^\n]+\)\n$/);
  assert.notEqual(wrong.status, 0);
  const port = await mscope(['explore', '--port', 'http', 'slow.db'], dir);
  assert.equal(port.stderr, 'mscope explore: --port expects a number, got "http"\n');
  const two = await mscope(['explore', 'a.db', 'b.db'], dir);
  assert.equal(two.status, 2);
  assert.match(two.stderr, /^mscope explore: expected at most one STORE/);
  const help = await mscope(['help', 'explore'], dir);
  assert.match(help.stdout, /^usage: mscope explore \[--run ID\] \[--port N\] \[STORE\]\n/);
});

test('brushing the slow band of the histogram names fs as the subsystem that differs', { skip: NO_BROWSER }, async (t) => {
  const p = await openPage();
  const lines = await api<{ axes: string[]; values: number[][] }>('/api/lines');
  assert.equal(lines.values.length, REQUESTS);
  const lat = lines.axes.indexOf('latency_ns');
  const slowest = lines.values.map((v) => v[lat]!).sort((a, b) => b - a);
  const edges = await p.evaluate(() => (window as unknown as { explorer: { result: SelectionResult } }).explorer.result.histogram.edges);
  const from = binOf(edges, slowest[SLOW - 1]!);
  const to = edges.length - 2;
  // A real drag across those bins, where a user would.
  const drag = await p.evaluate(
    ([a, b]) => {
      const h = (window as unknown as { explorer: { histogram: { convertToPixel(f: object, v: number): number } } }).explorer.histogram;
      const half = (h.convertToPixel({ xAxisIndex: 0 }, 1) - h.convertToPixel({ xAxisIndex: 0 }, 0)) / 2;
      return { x0: h.convertToPixel({ xAxisIndex: 0 }, a!) - half * 0.8, x1: h.convertToPixel({ xAxisIndex: 0 }, b!) + half * 0.8 };
    },
    [from, to],
  );
  const box = (await p.locator('#histogram').boundingBox())!;
  const updates = await p.evaluate(() => (window as unknown as { explorer: { updates: number } }).explorer.updates);
  await p.mouse.move(box.x + drag.x0, box.y + box.height / 2);
  await p.mouse.down();
  await p.mouse.move(box.x + drag.x1, box.y + box.height / 2, { steps: 8 });
  await p.mouse.up();
  await p.waitForFunction((n) => (window as unknown as { explorer: { updates: number } }).explorer.updates > n, updates);
  const state = await p.evaluate(() => {
    const e = (
      window as unknown as {
        explorer: {
          state: { band: number[] | null };
          result: SelectionResult;
          lastUpdateMs: number;
          linesDrawn: { total: number; inBand: number };
        };
      }
    ).explorer;
    return { band: e.state.band, selected: e.result.selected, ms: e.lastUpdateMs, lines: e.linesDrawn };
  });
  assert.deepEqual(state.band, [edges[from], edges[to + 1]]);
  assert.ok(state.selected >= SLOW, `${state.selected} selected`);
  // Every activity is a line here: the band's lines, and only they, are drawn in its colour.
  assert.deepEqual(state.lines, { total: REQUESTS, inBand: state.selected, active: REQUESTS });
  assert.equal(await p.getAttribute('#differs-most', 'data-subsystem'), 'fs', (await p.textContent('#differs-most')) ?? '');
  assert.match((await p.textContent('#differs-most'))!, /differs most in fs \(fs ms: median/);
  assert.equal(await p.locator('#activities tbody tr').count(), state.selected);
  // MSCOPE_SCREENSHOT=docs/explorer.png refreshes the README's picture.
  if (process.env.MSCOPE_SCREENSHOT !== undefined) await p.screenshot({ path: process.env.MSCOPE_SCREENSHOT });
  t.diagnostic(`brush to redrawn views: ${state.ms.toFixed(1)} ms for ${REQUESTS} activities`);
});

test('filtering an axis redraws the histogram with the counts the API gives', { skip: NO_BROWSER }, async () => {
  const p = await openPage();
  const lines = await api<{ axes: string[]; values: number[][] }>('/api/lines');
  const fs = lines.axes.indexOf('fs_ns');
  assert.ok(fs > 0, `fs_ns is an axis: ${lines.axes.join(' ')}`);
  const withFs = lines.values.filter((v) => v[fs]! >= 1e6).length;
  assert.equal(withFs, SLOW, 'every tenth request, and only those, spent over 1 ms in fs');
  const updates = await p.evaluate(() => (window as unknown as { explorer: { updates: number } }).explorer.updates);
  // ECharts' own action for a drag along an axis; the page gets the same event as from the mouse.
  await p.evaluate(() => {
    const e = (window as unknown as { explorer: { parallel: { dispatchAction(a: object): void } } }).explorer;
    e.parallel.dispatchAction({ type: 'axisAreaSelect', parallelAxisId: 'axis-fs_ns', intervals: [[1, 1e9]] });
  });
  await p.waitForFunction((n) => (window as unknown as { explorer: { updates: number } }).explorer.updates > n, updates);
  const shown = await p.evaluate(() => {
    const e = (
      window as unknown as {
        explorer: { state: object; result: SelectionResult; histogram: { getOption(): { series: Array<{ data: number[] }> } } };
      }
    ).explorer;
    return {
      state: e.state,
      counts: e.histogram.getOption().series[0]!.data,
      filtered: e.result.filtered,
      lines: (window as unknown as { explorer: { linesDrawn: { active: number } } }).explorer.linesDrawn,
    };
  });
  assert.equal(shown.filtered, SLOW);
  // The lines outside the interval are faded, as ECharts fades a parallel series' inactive lines.
  assert.equal(shown.lines.active, SLOW);
  assert.equal(
    shown.counts.reduce((s, c) => s + c, 0),
    SLOW,
  );
  const fromApi = await api<SelectionResult>('/api/select', { q: JSON.stringify(shown.state) });
  assert.deepEqual(shown.counts, fromApi.histogram.counts);
});

test("a row of the table opens that activity's full record", { skip: NO_BROWSER }, async () => {
  const p = await openPage();
  const row = p.locator('#activities tbody tr').first();
  const id = await row.getAttribute('data-id');
  await row.click();
  await p.waitForFunction(() => document.getElementById('record')!.textContent !== '');
  const rec = JSON.parse((await p.textContent('#record'))!) as { id: number; fs_ns: number; token: string };
  assert.equal(String(rec.id), id);
  assert.equal(rec.token, 'GET /item');
  assert.ok(rec.fs_ns > 1e6);
});

test('the table shows the rows the API gives after every selection, and sorts by a clicked column', { skip: NO_BROWSER }, async () => {
  const p = await openPage();
  type Page = { explorer: { apply(change: object): Promise<void>; state: { sort: string; asc: boolean } } };
  const ms = (ns: number): string => {
    const x = ns / 1e6;
    return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toFixed(3);
  };
  // Rows are reused from one selection to the next: each must show its own activity, none left over.
  const check = async (what: string): Promise<SelectionResult['rows']> => {
    const state = await p.evaluate(() => (window as unknown as Page).explorer.state);
    const rows = (await api<SelectionResult>('/api/select', { q: JSON.stringify({ ...state, limit: 100 }) })).rows;
    const shown = await p.evaluate(() =>
      [...document.querySelectorAll<HTMLTableRowElement>('#activities tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent)),
    );
    assert.deepEqual(
      shown.map((cells) => cells.slice(0, 3)),
      rows.map((r) => [String(r.id), String(r.token), ms(r.latency_ns as number)]),
      what,
    );
    return rows;
  };
  const band = (b: number[] | null) => p.evaluate((x) => (window as unknown as Page).explorer.apply({ band: x }), b);
  await band(null);
  const all = await check('the whole selection');
  assert.ok(all.length >= 2, `${all.length} rows`);
  // The faster half: the first rows now show other activities.
  await band([0, all[Math.floor(all.length / 2)]!.latency_ns as number]);
  const half = await check('its faster half');
  assert.ok(half.length > 0 && half[0]!.id !== all[0]!.id);
  await band([0, 1]);
  assert.equal((await check('an empty band')).length, 0);
  await band(null);
  await check('the whole selection again');
  const latency = p.locator('#activities thead th').nth(2);
  for (const asc of [true, false]) {
    await latency.click();
    await p.waitForFunction((a) => (window as unknown as Page).explorer.state.asc === a, asc);
    await p.waitForFunction((a) => document.querySelector('#activities thead th:nth-child(3)')!.textContent!.endsWith(a ? '▲' : '▼'), asc);
    await check(asc ? 'fastest first' : 'slowest first');
  }
});

test('the log scale bins latency by equal ratios and still counts every activity', { skip: NO_BROWSER }, async () => {
  const p = await openPage();
  const updates = await p.evaluate(() => (window as unknown as { explorer: { updates: number } }).explorer.updates);
  await p.click('#scale-log');
  await p.waitForFunction((n) => (window as unknown as { explorer: { updates: number } }).explorer.updates > n, updates);
  const h = await p.evaluate(() => (window as unknown as { explorer: { result: SelectionResult } }).explorer.result.histogram);
  assert.equal(h.scale, 'log');
  const ratios = h.edges.slice(2, -1).map((e, i) => e / h.edges[i + 1]!);
  for (const r of ratios) assert.ok(Math.abs(r / ratios[0]! - 1) < 1e-9, `equal ratios: ${ratios.join(' ')}`);
  // The page gives ECharts the bins' labels only when they change: a new scale relabels the axis.
  const labels = await p.evaluate(
    () =>
      (
        window as unknown as { explorer: { histogram: { getOption(): { xAxis: Array<{ data: string[] }> } } } }
      ).explorer.histogram.getOption().xAxis[0]!.data,
  );
  assert.deepEqual(
    labels,
    h.edges.slice(0, -1).map((e) => (e / 1e6).toFixed(e < 1e7 ? 2 : 0)),
  );
  const state = await p.evaluate(() => (window as unknown as { explorer: { state: { band: unknown } } }).explorer.state);
  assert.equal(state.band, null, 'changing the bins clears the band');
  const fromApi = await api<SelectionResult>('/api/select', { q: JSON.stringify(state) });
  assert.deepEqual(h.counts, fromApi.histogram.counts);
});

test('the axes can be reordered, and a reorder keeps every filter and count', { skip: NO_BROWSER }, async () => {
  const p = await openPage();
  type Page = {
    explorer: {
      state: { filters: Record<string, unknown>; axisOrder: string[] | null };
      result: SelectionResult;
      parallel: {
        getOption(): { parallelAxis: Array<{ id: string; dim: number }> };
        getModel(): { queryComponents(q: object): Array<{ activeIntervals: number[][] }> };
      };
    };
  };
  const seen = () =>
    p.evaluate(() => {
      const e = (window as unknown as Page).explorer;
      return {
        ids: e.parallel.getOption().parallelAxis.map((a) => a.id),
        dims: e.parallel.getOption().parallelAxis.map((a) => a.dim),
        filters: JSON.stringify(e.state.filters),
        filtered: e.result.filtered,
        fsIntervals: e.parallel.getModel().queryComponents({ mainType: 'parallelAxis', id: 'axis-fs_ns' })[0]!.activeIntervals,
      };
    });
  // A filter on fs first, so that the reorder has one to keep.
  await p.evaluate(() => {
    const e = (window as unknown as { explorer: { parallel: { dispatchAction(a: object): void } } }).explorer;
    e.parallel.dispatchAction({ type: 'axisAreaSelect', parallelAxisId: 'axis-fs_ns', intervals: [[1, 1e9]] });
  });
  await p.waitForFunction((n) => (window as unknown as Page).explorer.result.filtered === n, SLOW);
  const before = await seen();
  assert.equal(before.ids[0], 'axis-latency_ns');
  await p.click('#axis-order .chip[data-axis="latency_ns"] button[title="move right"]');
  const after = await seen();
  assert.deepEqual(after.ids, [before.ids[1], before.ids[0], ...before.ids.slice(2)]);
  // Each axis keeps its data dimension: only where it is drawn changed.
  assert.deepEqual(after.dims, [before.dims[1], before.dims[0], ...before.dims.slice(2)]);
  assert.equal(after.filters, before.filters);
  assert.equal(after.filtered, SLOW);
  assert.deepEqual(after.fsIntervals, before.fsIntervals);
  assert.deepEqual(
    await p.locator('#axis-order .chip').evaluateAll((chips) => chips.map((c) => (c as HTMLElement).dataset.axis)),
    after.ids.map((id) => id.replace(/^axis-/, '')),
  );
});

// The Latency Explorer in Chromium: how long a brush takes to redraw every view, and how long
// the page takes to load, for a small store and one of 100,000 activities.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const CHROMIUM = process.env.MSCOPE_CHROMIUM ?? '/usr/bin/chromium';
const SIZES = { '1,000 activities': 1000, '100,000 activities': 100_000 };

export const title = 'Latency Explorer: brush and page load in Chromium';
export const description = `
Each store holds synthetic activities (every tenth spends 5–25 ms in fs, a few in GC) served by
\`startExplorer\` in this process and opened in headless Chromium (Debian's, through
playwright-core). The parallel coordinates' 2,000 sampled lines are drawn by the page on a canvas
of their own, under ECharts' axes. \`brush\`: \`performance.now()\` in the page around one change of
the latency band, from the request to /api/select until the lines' colours (redrawn while the
server answers), the histogram, the comparison and the table are redrawn; \`filter\`: from
ECharts' own \`axisAreaSelect\` action on the fs axis (what a drag along the axis dispatches:
ECharts draws the interval on the axis, the page fades the lines outside it and asks
/api/select) until the page has redrawn every view for it. Each case has a page of its own, so
that one case's selection never costs the other a redraw (a filter sample after a brush sample
used to clear the band and recolour every line). \`load\`: a first visit (a browser context of its
own: no cache, a new renderer process), from navigation to the page's first complete drawing
(ECharts parsed, the 2,000 sampled lines drawn, the first selection shown), as the page's
\`performance.now()\` reads it then. Targets (issue 14): a brush within 100 ms and a load within
1 s at 100,000.
`;
export const unit = 'ms';
export const rounds = 10;
export const isolate = false;

let browser = null;
const servers = new Map();
const pages = new Map();
let step = 0;

function records(n) {
  const { FIELDS } = modules.accounting;
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out = [];
  for (let i = 1; i <= n; i++) {
    const r = { id: i, token: 'GET /item', start_ns: i * 1e6, done: true, metrics: { rows: Math.floor(rnd() * 50) } };
    for (const f of FIELDS) r[f.name] = 0;
    r.cpu_ns = 2e5 + rnd() * 3e5;
    r.loop_wait_ns = rnd() * 1e5;
    r.fs_ns = i % 10 === 0 ? 5e6 + rnd() * 2e7 : 0;
    r.net_ns = rnd() * 2e5;
    r.gc_ns = rnd() < 0.02 ? rnd() * 3e6 : 0;
    r.latency_ns = r.cpu_ns + r.loop_wait_ns + r.fs_ns + r.net_ns + r.gc_ns + rnd() * 1e5;
    out.push(r);
  }
  return out;
}

const modules = {};

export function cases() {
  const variants = Object.keys(SIZES);
  return [
    { name: 'brush', title: 'a latency band brushed: every view redrawn', baseline: variants[0], variants },
    { name: 'filter', title: 'an fs axis interval brushed: every view redrawn', baseline: variants[0], variants },
    { name: 'load', title: 'page load to the first complete drawing', baseline: variants[0], variants },
  ];
}

export function unavailable() {
  return existsSync(CHROMIUM) ? null : `needs Chromium at ${CHROMIUM} (apt-get install chromium) or MSCOPE_CHROMIUM`;
}

export async function setup() {
  modules.accounting = await import(pathToFileURL(`${DIST}accounting/index.js`).href);
  const ui = await import(pathToFileURL(`${DIST}ui/index.js`).href);
  const { chromium } = await import('playwright-core');
  for (const [name, n] of Object.entries(SIZES)) {
    servers.set(name, await ui.startExplorer(new ui.ExploreData(records(n), { path: name, run: null })));
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
  for (const c of ['brush', 'filter']) for (const [name, server] of servers) pages.set(`${c} ${name}`, await open(server.url));
}

async function open(url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 120_000 });
  return page;
}

export async function teardown() {
  await browser?.close();
  for (const s of servers.values()) await s.close();
  servers.clear();
  pages.clear();
}

export async function sample(caseName, variant) {
  step++;
  if (caseName === 'load') {
    // A context of its own: a page of the same site would reuse the ECharts it compiled.
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(servers.get(variant).url);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 120_000 });
    const ms = await page.evaluate(() => window.explorer.timings.ready);
    await context.close();
    return ms;
  }
  const page = pages.get(`${caseName} ${variant}`);
  if (caseName === 'brush') {
    return page.evaluate(
      async (band) => {
        const t = performance.now();
        await window.explorer.apply({ band });
        return performance.now() - t;
      },
      [4e6 + step * 1000, 3e7],
    );
  }
  return page.evaluate(
    async (lowMs) => {
      const e = window.explorer;
      const updated = new Promise((resolve) => (e.onUpdated = resolve));
      const t = performance.now();
      e.parallel.dispatchAction({ type: 'axisAreaSelect', parallelAxisId: 'axis-fs_ns', intervals: [[lowMs, 1e3]] });
      await updated;
      return performance.now() - t;
    },
    1 + step / 1000,
  );
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { MscopeError, ErrorCode } from '../core/index.js';
import type { ExploreSource, Selection } from './explore-data.js';
import type { TracedProcesses } from './traced-processes.js';
import type { JsonAggregation } from '../aggregate/index.js';
import type { FunctionsView } from './functions-view.js';

/** The page's own files, shipped in the package beside the code (package.json "files"). */
// Beside this file: src/ui/page from the sources, dist/ui/page or lib/ui/page (copied by the build) from a build.
const PAGE = new URL('./page/', import.meta.url);
const STATIC: Record<string, { file: URL; type: string }> = {
  '/': { file: new URL('index.html', PAGE), type: 'text/html; charset=utf-8' },
  '/explorer.js': { file: new URL('explorer.js', PAGE), type: 'text/javascript; charset=utf-8' },
  '/explorer.css': { file: new URL('explorer.css', PAGE), type: 'text/css; charset=utf-8' },
};
/**
 * ECharts from the package itself, never a CDN: the build's bundle of what the page uses
 * (scripts/echarts-page.mjs), or, where the sources run unbuilt, ECharts' own full bundle.
 */
const BUILT_ECHARTS = new URL('echarts.js', PAGE);
const ECHARTS = existsSync(BUILT_ECHARTS) ? BUILT_ECHARTS : createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');

/**
 * Lines drawn in the parallel coordinates; a larger store is sampled (the histogram and comparison
 * still count every activity). Drawing them was most of a large store's page load and of a brush's
 * recolouring: at 100,000 activities, with 5,000 lines against 2,000, a first load took 2.1 s
 * against 1.7 s and a brush 633 against 347 ms (side by side, on a machine at load 15, when ECharts
 * still drew the lines as a series).
 */
export const LINE_LIMIT = 2000;

export interface Explorer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * Serves the Latency Explorer on 127.0.0.1. Every request must carry the session's random
 * token (`?token=`) and a Host of 127.0.0.1:PORT or localhost:PORT, so that neither another
 * local user's page nor a DNS-rebinding site can read the store.
 */
export interface ExplorerOptions {
  /** 0 (the default): a free port. */
  port?: number;
  /** A live run's processes: the page then lists their links and can relink them. */
  processes?: TracedProcesses;
  /** A live run's D aggregations so far, in `-f json`'s shape. */
  aggregations?: () => JsonAggregation[];
  /** kperfmon's figures for the functions `--functions` picked. */
  functions?: () => FunctionsView;
}

export async function startExplorer(source: ExploreSource, options: ExplorerOptions = {}): Promise<Explorer> {
  const { port = 0, processes, aggregations, functions } = options;
  const token = randomBytes(16).toString('hex');
  const expected = Buffer.from(token);
  let hosts: string[] = [];
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) =>
      send(res, 500, 'text/plain; charset=utf-8', `internal error: ${e instanceof Error ? e.message : String(e)}\n`),
    );
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hosts.includes(req.headers.host ?? '')) return send(res, 403, 'text/plain; charset=utf-8', 'forbidden: unexpected Host\n');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return send(res, 403, 'text/plain; charset=utf-8', 'forbidden: missing or wrong token\n');
    // The one state change: a POST (with the token) that a page of another origin cannot make readable.
    if (url.pathname === '/api/relink' && processes !== undefined) {
      if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'only POST\n');
      const q = url.searchParams;
      const r = await processes.relink(Number(q.get('pid')), Number(q.get('link')), q.get('binding') ?? '');
      return json(res, r.ok ? 200 : 400, r);
    }
    if (req.method !== 'GET') return send(res, 405, 'text/plain; charset=utf-8', 'only GET\n');
    const page = STATIC[url.pathname];
    // The page's own requests carry the token too: it is written into its links as it is served.
    if (page !== undefined) return send(res, 200, page.type, readFileSync(page.file, 'utf8').replaceAll('__TOKEN__', token));
    if (url.pathname === '/echarts.js') return send(res, 200, 'text/javascript; charset=utf-8', readFileSync(ECHARTS));
    // One snapshot per request: a live run's data may be rebuilt between two of them.
    const data = source.current();
    if (url.pathname === '/api/meta')
      return json(res, 200, {
        ...data.meta(),
        processes: processes !== undefined,
        aggregations: aggregations !== undefined,
        functions: functions !== undefined,
      });
    if (url.pathname === '/api/functions' && functions !== undefined) return json(res, 200, functions());
    if (url.pathname === '/api/aggregations' && aggregations !== undefined) return json(res, 200, aggregations());
    if (url.pathname === '/api/links' && processes !== undefined) return json(res, 200, await processes.links());
    if (url.pathname === '/api/lines') {
      const limit = Number(url.searchParams.get('limit') ?? LINE_LIMIT);
      return json(res, 200, data.lines(Number.isSafeInteger(limit) && limit > 0 ? limit : LINE_LIMIT));
    }
    if (url.pathname === '/api/select') {
      let q: Selection;
      try {
        q = JSON.parse(url.searchParams.get('q') ?? '{}') as Selection;
        return json(res, 200, data.select(q));
      } catch (e) {
        return json(res, 400, { error: e instanceof Error ? e.message : String(e) });
      }
    }
    if (url.pathname === '/api/activity') {
      const rec = data.activity(Number(url.searchParams.get('id')));
      return rec === undefined ? json(res, 404, { error: 'no such activity' }) : json(res, 200, rec);
    }
    send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
  }
  await listen(server, port);
  const bound = (server.address() as { port: number }).port;
  hosts = [`127.0.0.1:${bound}`, `localhost:${bound}`];
  return {
    url: `http://127.0.0.1:${bound}/?token=${token}`,
    port: bound,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A request still open (the page's poll of a process that does not answer) would hold the close for ever.
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new MscopeError(ErrorCode.BadUsage, `mscope explore: cannot serve on 127.0.0.1:${port}: ${e.code ?? e.message}`, { cause: e }),
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  // A D integer past 2^53 is a bigint: sent as its decimal digits.
  send(
    res,
    status,
    'application/json',
    JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  );
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

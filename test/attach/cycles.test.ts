import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { APPS, assertLeftAsFound, attach, startApp } from './harness.js';

/**
 * Attach/detach cycles on an HTTP server under load, each splicing a probe into the function
 * that makes every response (bench/attach-cycles.bench.mjs does more of them and measures
 * memory): no response fails or differs by a byte, each cycle counts calls, and the program is
 * left as it was found.
 */
const CYCLES = 3;
const { answer } = createRequire(import.meta.url)(`${APPS}fingerprint.cjs`) as { answer(url: string): string };

interface Seen {
  ok: number;
  problems: string[];
}

/** Keep-alive clients sending GETs one after another until stop(), each body checked against answer(url). */
function load(port: number, connections = 4): { stop(): Promise<Seen> } {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const seen: Seen = { ok: 0, problems: [] };
  let running = true;
  const get = (path: string): Promise<string> =>
    new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve(
            res.statusCode !== 200
              ? `status ${res.statusCode}`
              : body.equals(Buffer.from(answer(path)))
                ? ''
                : `got ${JSON.stringify(body.toString())}`,
          );
        });
        res.on('error', (error) => resolve(error.message));
      });
      req.on('error', (error) => resolve(error.message));
      req.end();
    });
  const loops = Array.from({ length: connections }, async (_, c) => {
    for (let i = 0; running; i++) {
      const path = `/c${c}-${i % 50}`;
      const problem = await get(path);
      if (problem === '') seen.ok++;
      else seen.problems.push(`${path}: ${problem}`);
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return seen;
    },
  };
}

test(`${CYCLES} attach/detach cycles splicing into a server under load: no response failed or differed, the program left as found, the same globals after every cycle`, async () => {
  const app = await startApp(['--inspect-port=0', 'server.cjs']);
  await app.get('/warm-up');
  // Before the load: its keep-alive connections are not the program's own.
  const before = await app.state();
  const traffic = load(app.port);
  let afterFirst: string[] | undefined;
  try {
    for (let i = 0; i < CYCLES; i++) {
      const a = attach([
        'attach',
        String(app.pid),
        '-q',
        '-e',
        'fn:fingerprint.cjs:answer:entry { @n = count(); } END { printa("%@d\\n", @n); }',
      ]);
      await a.attached;
      // Calls are counted while the load runs: at least the one request made here.
      await app.get(`/cycle-${i}`);
      const r = await a.detach();
      assert.equal(r.status, 0, r.stderr);
      assert.ok(Number(r.stdout) >= 1, r.stdout);
      // The spliced script's three inert globals stay; each attach reuses them (a new set each cycle once).
      const { globals } = (await app.state()) as { globals: string[] };
      assert.equal(globals.length, 3, globals.join(' '));
      afterFirst ??= globals;
      assert.deepEqual(globals, afterFirst);
    }
    const seen = await traffic.stop();
    assert.deepEqual(seen.problems, []);
    assert.ok(seen.ok > 0);
    assertLeftAsFound(await app.state(), before);
  } finally {
    await traffic.stop();
    app.child.kill();
  }
});

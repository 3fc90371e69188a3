// Load on an HTTP server for as long as it runs: CONNECTIONS keep-alive clients, each sending
// GET /rN one after another, every body checked byte for byte against `expected(url)`.
import http from 'node:http';

/** Starts the load; `stop()` ends it and resolves with what was seen. */
export function startLoad(port, expected, connections = 4) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let running = true;
  const seen = { ok: 0, failed: 0, differing: 0, firstProblem: null };
  const get = (path) =>
    new Promise((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, path, agent }, (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
        res.on('error', (error) => resolve({ error }));
      });
      req.on('error', (error) => resolve({ error }));
      req.end();
    });
  const loop = async (c) => {
    for (let i = 0; running; i++) {
      const path = `/r${c}-${i % 100}`;
      const r = await get(path);
      if (r.error !== undefined || r.status !== 200) {
        seen.failed++;
        seen.firstProblem ??= `${path}: ${r.error?.message ?? `status ${r.status}`}`;
      } else if (!r.body.equals(Buffer.from(expected(path)))) {
        seen.differing++;
        seen.firstProblem ??= `${path}: got ${JSON.stringify(r.body.toString())}`;
      } else seen.ok++;
    }
  };
  const loops = Array.from({ length: connections }, (_, c) => loop(c));
  return {
    seen,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return seen;
    },
  };
}

// The probe effect of each runtime provider on a reference workload: requests per second of
// an HTTP server doing fs and dns work per request, with one provider's probes counted.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('./fixtures/provider-server.mjs', import.meta.url));
const CONCURRENCY = 8;
const WARM_MS = 300;
const MEASURE_MS = 1500;

export const title = 'probe effect of each provider on an HTTP server doing fs and dns work';
export const description = `
Each sample starts \`bench/fixtures/provider-server.mjs\` in a fresh process: an HTTP server
on 127.0.0.1 that reads a file with \`fs.readFile\` and calls \`dns.lookup('localhost')\` for
every request. The benchmark process is the client: ${CONCURRENCY} keep-alive connections
loop on \`GET /\` for ${WARM_MS} ms of warm-up, then for ${MEASURE_MS} ms measured.
\`nothing attached\`: the providers are never registered. \`registered\`: registered, no
probe enabled. Each other variant links one counting monitor (what a \`count()\` clause
does, without the language) to every probe the description names. Higher is better: a
ratio of 0.9 is a 10 % probe effect.
`;
export const unit = 'req/s';
export const rounds = 7;
export const isolate = false;

const PROVIDERS = {
  'nothing attached': null,
  registered: [],
  'http:::': ['http:::'],
  'net:::': ['net:::'],
  'fs:::': ['fs:::'],
  'dns:::': ['dns:::'],
  'task:::': ['task:::'],
  'gc:::': ['gc:::'],
  'loop:::': ['loop:::'],
  'profile-97': ['profile:::profile-97'],
};

export function cases() {
  return [{ name: 'workload', title: 'requests per second', baseline: 'nothing attached', variants: Object.keys(PROVIDERS) }];
}

const found = new Set();
export function notes() {
  return [...found];
}

export async function sample(_case, variant) {
  const child = fork(SERVER, [JSON.stringify(PROVIDERS[variant])], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    const [{ port }] = await once(child, 'message');
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    await drive(port, agent, WARM_MS);
    const rate = await drive(port, agent, MEASURE_MS);
    agent.destroy();
    child.send('count');
    const [{ count }] = await once(child, 'message');
    // A provider that counted nothing measured the disabled path under its name.
    if (PROVIDERS[variant]?.length > 0 && count === 0) found.add(`${variant}: its probes did not fire on this workload`);
    return rate;
  } finally {
    child.kill();
    await once(child, 'exit').catch(() => {});
  }
}

/** Runs the client loop for `ms` and returns completed requests per second. */
async function drive(port, agent, ms) {
  let done = 0;
  const t0 = performance.now();
  const end = t0 + ms;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        await get(port, agent);
        done++;
      }
    }),
  );
  return (done / (performance.now() - t0)) * 1000;
}

function get(port, agent) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`providers bench: status ${res.statusCode}`));
        res.resume();
        res.on('end', resolve);
      })
      .on('error', reject);
  });
}

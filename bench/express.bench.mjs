// What a user runs: a small express service under load, plain and under `mscope run` three
// ways, with OpenTelemetry's http and express instrumentations as the peer.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { autocannonRun, throughputAndP99 } from './lib/autocannon-run.mjs';

const SERVICE = fileURLToPath(new URL('./fixtures/express-service/', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/mscope.js', import.meta.url));
const CONNECTIONS = 20;
const WARM_SECONDS = 1;
const SECONDS = 3;
const PATH = '/api/users/7';

export const title = 'an express service under load: plain, under mscope run, and with OpenTelemetry';
export const description = `
Each sample starts \`bench/fixtures/express-service/server.cjs\` (express 5: a JSON body
parser, a middleware, a router with a parameterised route) in a fresh process, as a user
would, and loads it with autocannon from the benchmark process (${CONNECTIONS} connections,
\`GET ${PATH}\`, ${WARM_SECONDS} s of warm-up, then ${SECONDS} s measured, loopback). Throughput
and p99 come from the same measured run; p99 from every response's own duration.
\`node\`: \`node server.cjs\`. \`http by status\`: \`mscope run -q -e 'http:server::request-done
{ @[args[0].status] = count(); }' -- node server.cjs\`. \`every fn probe\`: \`mscope run -q -e
'fn:::entry { @[probemod, probefunc] = count(); }' -- node server.cjs\`, the service's own
functions and express's (its one direct dependency). \`--acct\`: \`mscope run -q --acct
--store FILE -- node server.cjs\`, the default subsystems, every request recorded in the store.
\`otel\`: \`node server.cjs\` with OpenTelemetry's \`NodeSDK\`, \`@opentelemetry/instrumentation-http\`
and \`@opentelemetry/instrumentation-express\`, required before express, and an exporter that
drops the spans. Each traced variant is checked after its run: the aggregation counted the
requests, the store holds them, the exporter saw spans.
`;
export const unit = 'req/s';
export const rounds = 5;
export const isolate = false;

const D_HTTP = 'http:server::request-done { @[args[0].status] = count(); }';
const D_FN = 'fn:::entry { @[probemod, probefunc] = count(); }';
const VARIANTS = ['node', 'http by status', 'every fn probe', '--acct', 'otel'];
const otel = otelInstalled();

export function cases() {
  const variants = otel ? VARIANTS : VARIANTS.filter((v) => v !== 'otel');
  return [
    { name: 'throughput', title: 'throughput', baseline: 'node', variants },
    { name: 'p99', title: 'p99 latency', unit: 'ms', baseline: 'node', variants },
  ];
}

export function notes() {
  return otel ? [] : ['`otel` left out: @opentelemetry/sdk-node or an instrumentation is not installed'];
}

export const sample = throughputAndP99('express', load);

function command(variant, store) {
  const node = [process.execPath, 'server.cjs'];
  if (variant === 'node' || variant === 'otel') return node;
  const mscope = [process.execPath, BIN, 'run', '-q'];
  if (variant === 'http by status') return [...mscope, '-e', D_HTTP, '--', ...node];
  if (variant === 'every fn probe') return [...mscope, '-e', D_FN, '--', ...node];
  if (variant === '--acct') return [...mscope, '--acct', '--store', store, '--', ...node];
  throw new Error(`express bench: unknown variant ${variant}`);
}

async function load(variant) {
  const tmp = mkdtempSync(join(tmpdir(), 'mscope-express-'));
  const store = join(tmp, 'acct.db');
  const [file, ...args] = command(variant, store);
  const child = spawn(file, args, {
    cwd: SERVICE,
    env: { ...process.env, ...(variant === 'otel' ? { OTEL: '1' } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = once(child, 'exit');
  try {
    const port = await listening(
      child,
      () => stdout,
      () => stderr,
    );
    await autocannonRun(`http://127.0.0.1:${port}${PATH}`, CONNECTIONS, WARM_SECONDS);
    const { out, p99 } = await autocannonRun(`http://127.0.0.1:${port}${PATH}`, CONNECTIONS, SECONDS);
    if (out.errors > 0 || out.non2xx > 0) throw new Error(`express bench: ${variant}: ${out.errors} errors, ${out.non2xx} non-2xx`);
    child.kill('SIGTERM');
    const [code] = await exited;
    if (code !== 0) throw new Error(`express bench: ${variant} exited with ${code}: ${stderr.slice(-500)}`);
    check(variant, stdout, stderr, store, out.requests.total);
    return { rps: out.requests.average, p99 };
  } finally {
    child.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The traced run saw the requests it was loaded with: a variant that saw nothing measured nothing. */
function check(variant, stdout, stderr, store, requests) {
  const counts = (pattern) => [...stdout.matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0);
  if (variant === 'http by status' && counts(/^\s+200\s+(\d+)$/gm) < requests)
    throw new Error(`express bench: http by status counted fewer than ${requests} requests:\n${stdout.slice(-500)}`);
  if (variant === 'every fn probe' && counts(/^\s+server\.cjs\s+findUser\s+(\d+)$/gm) < requests)
    throw new Error(`express bench: every fn probe counted findUser fewer than ${requests} times:\n${stdout.slice(-800)}`);
  if (variant === '--acct' && !(existsSync(store) && statSync(store).size > 0))
    throw new Error(`express bench: --acct wrote no store:\n${stderr.slice(-500)}`);
  if (variant === 'otel' && !/^otel spans [1-9]/m.test(stderr))
    throw new Error(`express bench: otel exported no spans:\n${stderr.slice(-500)}`);
}

async function listening(child, stdout, stderr) {
  for (;;) {
    const m = /^port (\d+)$/m.exec(stdout());
    if (m !== null) return Number(m[1]);
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`express bench: the service ended before listening: ${stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function otelInstalled() {
  const require = createRequire(import.meta.url);
  try {
    for (const name of ['@opentelemetry/sdk-node', '@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-express'])
      require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

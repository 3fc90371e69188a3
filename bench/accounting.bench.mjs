// Throughput and p99 latency of a hello-world HTTP server with resource accounting off and
// on, and with OpenTelemetry's http instrumentation as the peer.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { autocannonRun, throughputAndP99 } from './lib/autocannon-run.mjs';

const SERVER = fileURLToPath(new URL('./fixtures/hello-server.mjs', import.meta.url));
const CONNECTIONS = 20;
const SECONDS = 3;

export const title = 'resource accounting on a hello-world HTTP server';
export const description = `
Each sample starts \`bench/fixtures/hello-server.mjs\` in a fresh process and loads it with
autocannon from the benchmark process (${CONNECTIONS} connections, ${SECONDS} s, loopback); one
autocannon run gives both the throughput sample and the p99 sample. p99 is taken from every
response's own duration (autocannon's histogram keeps whole milliseconds, and this server
answers in well under one). \`none\`: the plain server.
\`acct\`: \`acct.enable()\` with the default subsystems. \`acct wall\`: only the wall clock
(every other subsystem off). \`dc+ALS floor\`: no microScope, only what a wall-clock account
of each request cannot do without (Node's two http.server channels, an AsyncLocalStorage
entered with the start time, the elapsed time summed at the finish): the floor for
\`acct wall\`. \`segments floor\`: that, and a \`before\`/\`after\` async hook timing every
callback that runs for a request, as the default subsystems' cpu and loop need (Node's hook
machinery, one store read and two clock reads a callback): the floor for \`acct\`. \`otel\`: OpenTelemetry's \`NodeSDK\` with
\`@opentelemetry/instrumentation-http\` and an exporter that drops the spans.

Where the per-request time goes (Node 20, 2026-12-03 23:40–23:50 UTC, load average 11–21; a
count of async hooks and segment boundaries per request, and \`--cpu-prof\` of the server under
40,000 requests). A keep-alive request to the plain server creates 11 async resources (10
\`TickObject\`s, the keep-alive \`Timeout\`) and runs 13 callbacks. Node 20 has no AsyncContextFrame,
so accounting follows the activity with async hooks: 11 \`init\` and 13 \`before\`/\`after\` calls
per request, about 4 µs of Node's own hook machinery (emitInit/Before/After, callbackTrampoline),
wall clock alone as much as default. Our two diagnostics_channel subscribers (request start:
activity, counters slot, token, the request's emit wrapper; response finish: the segment so far,
net bytes, ring, sinks) take ≈ 1.1 µs with the wall clock alone, ≈ 3.5 µs with the default
subsystems (a segment's clock reads and the loop's idle time, a C++ call). Two costs are gone
(commits of 2026-12-03): the ring kept its 1024 last records as objects of 30 fields, so every
request's record lived through scavenges into old space (GC +5.6 µs per request); and about
nine callbacks after the response still opened a segment on the finished activity (two clock
reads, the loop's idle time and a GC-log entry each, charged to nothing): 10 timed boundaries
per request, now 2. Server CPU per request (\`process.cpuUsage\` over 20,000 requests, side by side, the
median of the rounds), before and after those two changes: at load 11–21 (3 rounds) none 42.9
µs, default subsystems +43.4 → +10.4 µs, wall clock only +21.6 → −0.7 µs; at load 5–6 (4
rounds) none 33.3 µs, default +38.3 → +30.6 µs, wall only +44.0 → +5.1 µs. The wall-only gain
holds in both runs, the default one is within the noise of the second. Throughput, 5 rounds at
load 12–19 (the plain server's own rate varied 2k–22k req/s, the load generator sharing the two
cores): default 0.35× → 0.53×, wall only 0.72× → 0.76×; p99 3.2× → 2.2× and 1.7× → 1.5×. This
runner afterwards, 4 rounds at load 5–6 with other work using 57 % of the two CPUs: default
0.439× [0.305, 0.767], wall only 0.739× [0.403, 1.269], otel 0.241×; p99 2.24×, 1.22×, 4.01×.
The profiler samples wall time, so on this shared machine a frame's self time includes the time
the thread was descheduled in it; the shares above are what is consistent across runs. What is left on Node 20 is the hook machinery (the price of propagation there:
AsyncLocalStorage is built on the same \`init\` hook) and the subscribers; under \`mscope run
--acct\` a record object is still made per request for shipping.
`;
export const unit = 'req/s';
export const rounds = 6;
export const isolate = false;

const VARIANTS = ['none', 'acct', 'acct wall', 'segments floor', 'dc+ALS floor', 'otel'];
const otel = otelInstalled();

export function cases() {
  const variants = otel ? VARIANTS : VARIANTS.filter((v) => v !== 'otel');
  return [
    { name: 'throughput', title: 'throughput', baseline: 'none', variants },
    { name: 'p99', title: 'p99 latency', unit: 'ms', baseline: 'none', variants },
  ];
}

export function notes() {
  return otel ? [] : ['`otel` left out: @opentelemetry/sdk-node or @opentelemetry/instrumentation-http is not installed'];
}

export const sample = throughputAndP99('accounting', load);

async function load(variant) {
  const child = fork(SERVER, [variant], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    const [{ port }] = await once(child, 'message');
    const { out, p99 } = await autocannonRun(`http://127.0.0.1:${port}`, CONNECTIONS, SECONDS);
    if (out.errors > 0 || out.non2xx > 0) throw new Error(`accounting bench: ${variant}: ${out.errors} errors, ${out.non2xx} non-2xx`);
    child.send('seen');
    const [{ seen }] = await once(child, 'message');
    if (!seen) throw new Error(`accounting bench: ${variant} did not see the requests`);
    return { rps: out.requests.average, p99 };
  } finally {
    child.kill();
    await once(child, 'exit').catch(() => {});
  }
}

function otelInstalled() {
  const require = createRequire(import.meta.url);
  try {
    require.resolve('@opentelemetry/sdk-node');
    require.resolve('@opentelemetry/instrumentation-http');
    return true;
  } catch {
    return false;
  }
}

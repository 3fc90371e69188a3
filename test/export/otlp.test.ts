import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, mscope, type Result } from '../cli/mscope.js';
import { attrs, grpcReceiver, receiver, type Receiver, type Span } from './otlp-receiver.js';

const REQUESTS = join(FIXTURES, 'scripts', 'requests.mjs');
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;
const TRACESTATE = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE';
/** GET /joined continues the caller's trace (and its tracestate); GET /fresh carries none and starts its own. */
const CMD = ['node', REQUESTS, `GET:/joined@${TRACEPARENT}@${TRACESTATE}`, 'GET:/fresh'];

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'mscope-otlp-'));
}

/** `mscope run ARGS -- CMD` that must succeed, with the program's own output intact. */
async function run(args: readonly string[], env: NodeJS.ProcessEnv = {}, cmd: readonly string[] = CMD): Promise<Result> {
  const r = await mscope(['run', ...args, '--', ...cmd], tmp(), env);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    `requests: ${cmd
      .slice(2)
      .map(() => '200')
      .join(' ')}\n`,
  );
  return r;
}

/** The assertions every protocol must pass: the spans join the incoming trace, the breakdown is on them, metrics came. */
function checkExport(rx: Receiver, service: string): void {
  const spans = rx.spans();
  assert.deepEqual(spans.map((s) => s.name).sort(), ['GET /fresh', 'GET /joined']);
  const joined = spans.find((s) => s.name === 'GET /joined')!;
  const fresh = spans.find((s) => s.name === 'GET /fresh')!;
  assert.equal(joined.traceId, TRACE_ID, 'the activity continues the request’s trace');
  assert.equal(joined.parentSpanId, PARENT_ID, 'its parent is the caller’s span');
  assert.equal(joined.traceState, TRACESTATE, 'the span’s context keeps the caller’s tracestate');
  assert.ok(fresh.traceState === undefined || fresh.traceState === '');
  assert.match(joined.spanId, /^[0-9a-f]{16}$/);
  assert.notEqual(joined.spanId, PARENT_ID);
  assert.match(fresh.traceId, /^[0-9a-f]{32}$/);
  assert.notEqual(fresh.traceId, TRACE_ID);
  assert.ok(fresh.parentSpanId === undefined || fresh.parentSpanId === '', 'no traceparent: a new trace, a root span');
  for (const s of [joined, fresh] as Span[]) {
    assert.equal(s.kind, 2, 'SERVER');
    const a = attrs(s.attributes);
    assert.equal(a['mscope.token'], s.name);
    assert.equal(a['http.request.method'], 'GET');
    assert.ok(Number(a['process.pid']) > 0);
    assert.ok(Number(a['mscope.cpu_ns']) > 0, 'per-subsystem: cpu');
    assert.ok(Number(a['mscope.net_in_bytes']) > 0, 'per-subsystem: net');
    assert.equal(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano) > 0n, true);
  }
  const traces = rx.got.find((g) => g.body.resourceSpans !== undefined)!;
  const resource = attrs(traces.body.resourceSpans![0]!.resource.attributes);
  assert.equal(resource['service.name'], service);
  assert.equal(resource['telemetry.sdk.language'], 'nodejs');

  const metrics = rx.got.flatMap((g) => (g.body.resourceMetrics ?? []).flatMap((rm) => rm.scopeMetrics.flatMap((s) => s.metrics)));
  // Cumulative: the last export holds every count (a periodic export may come before the last activity).
  const latency = metrics.filter((m) => m.name === 'mscope.activity.latency').at(-1) as {
    unit: string;
    histogram: { dataPoints: { attributes: { key: string; value: { stringValue: string } }[]; count: string }[] };
  };
  assert.ok(latency, `metrics arrived: ${metrics.map((m) => m.name).join(', ')}`);
  assert.equal(latency.unit, 's');
  const counts = Object.fromEntries(latency.histogram.dataPoints.map((d) => [attrs(d.attributes).token, d.count]));
  assert.deepEqual(counts, { 'GET /joined': '1', 'GET /fresh': '1' });
  assert.ok(metrics.some((m) => m.name === 'mscope.activity.subsystem'));
  assert.equal(
    attrs(rx.got.find((g) => g.body.resourceMetrics !== undefined)!.body.resourceMetrics![0]!.resource.attributes)['service.name'],
    service,
  );
}

test(
  '--otlp URL: http/protobuf by default; spans join the incoming traceparent; OTEL_SERVICE_NAME names the service',
  { timeout: 120_000 },
  async () => {
    const rx = await receiver();
    try {
      const r = await run(['--otlp', rx.url], { OTEL_SERVICE_NAME: 'checkout' });
      assert.doesNotMatch(r.stderr, /OTLP/);
      assert.ok(rx.got.length > 0);
      for (const g of rx.got) assert.equal(g.contentType, 'application/x-protobuf');
      assert.ok(rx.got.some((g) => g.path === '/v1/traces'));
      assert.ok(rx.got.some((g) => g.path === '/v1/metrics'));
      checkExport(rx, 'checkout');
    } finally {
      rx.close();
    }
  },
);

test(
  'the standard variables alone: OTEL_*_EXPORTER=otlp, endpoint, per-signal endpoint, headers, http/json',
  { timeout: 120_000 },
  async () => {
    const rx = await receiver();
    try {
      await run(['--store', 'none'], {
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: rx.url,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${rx.url}/custom/traces`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=secret',
        OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes,deployment.environment=test',
      });
      for (const g of rx.got) {
        assert.equal(g.contentType, 'application/json');
        assert.equal(g.headers['x-api-key'], 'secret');
      }
      assert.ok(rx.got.some((g) => g.path === '/custom/traces'));
      assert.ok(rx.got.some((g) => g.path === '/v1/metrics'));
      checkExport(rx, 'from-attributes');
    } finally {
      rx.close();
    }
  },
);

test(
  'tracestate (W3C Trace Context): lines are joined, invalid members dropped, and none without a valid traceparent; never an error',
  { timeout: 120_000 },
  async () => {
    const rx = await receiver();
    try {
      const requests = {
        '/lines': `${TRACEPARENT}@rojo=00f067aa0ba902b7@congo=t61rcWkgMzE`,
        '/invalid': `${TRACEPARENT}@not a list member`,
        '/mixed': `${TRACEPARENT}@rojo=1,Upper=2,congo=3`,
        '/orphan': `@rojo=1`,
        '/bad-parent': `00-${TRACE_ID}-0000000000000000-01@rojo=1`,
      };
      const cmd = ['node', REQUESTS, ...Object.entries(requests).map(([path, headers]) => `GET:${path}@${headers}`)];
      const r = await run(['--store', 'none', '--otlp', rx.url], {}, cmd);
      assert.doesNotMatch(r.stderr, /OTLP|tracestate/i);
      const spans = Object.fromEntries(rx.spans().map((s) => [s.name.slice('GET '.length), s]));
      const state = (path: string): string => spans[path]!.traceState ?? '';
      assert.equal(state('/lines'), TRACESTATE, 'two tracestate lines are one list');
      assert.equal(state('/invalid'), '', 'a tracestate that does not parse is dropped');
      assert.equal(spans['/invalid']!.traceId, TRACE_ID, 'and the traceparent still holds');
      assert.equal(state('/mixed'), 'rojo=1,congo=3', 'an invalid member is dropped, the others kept in order');
      assert.equal(state('/orphan'), '', 'without a traceparent, a tracestate is discarded');
      assert.notEqual(spans['/orphan']!.traceId, TRACE_ID);
      assert.equal(state('/bad-parent'), '', 'with an invalid traceparent too');
      assert.notEqual(spans['/bad-parent']!.traceId, TRACE_ID);
    } finally {
      rx.close();
    }
  },
);

async function closedPort(): Promise<string> {
  const s = createServer();
  await new Promise<void>((res) => s.listen(0, '127.0.0.1', res));
  const { port } = s.address() as { port: number };
  await new Promise<void>((res) => s.close(() => res()));
  return `http://127.0.0.1:${port}`;
}

test('an OTLP protocol the exporters do not speak is one line, and CMD never starts', { timeout: 60_000 }, async () => {
  const r = await mscope(['run', '--otlp', 'http://127.0.0.1:9', '--', ...CMD], tmp(), { OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'thrift' });
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'mscope: OTEL_EXPORTER_OTLP_METRICS_PROTOCOL=thrift is not supported; use grpc, http/protobuf or http/json\n');
});

test(
  'OTEL_EXPORTER_OTLP_PROTOCOL=grpc: the official gRPC exporters, endpoint and headers (as metadata) from the variables',
  { timeout: 120_000 },
  async () => {
    const rx = await grpcReceiver();
    try {
      const r = await run(['--store', 'none'], {
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_ENDPOINT: rx.url,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=secret',
        OTEL_SERVICE_NAME: 'over-grpc',
      });
      assert.doesNotMatch(r.stderr, /OTLP/);
      for (const g of rx.got) assert.deepEqual(g.headers['x-api-key'], 'secret');
      assert.ok(rx.got.some((g) => g.path === '/opentelemetry.proto.collector.trace.v1.TraceService/Export'));
      assert.ok(rx.got.some((g) => g.path === '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export'));
      checkExport(rx, 'over-grpc');
    } finally {
      rx.close();
    }
  },
);

test('--otlp URL with the per-signal grpc protocols: the URL is the gRPC server', { timeout: 120_000 }, async () => {
  const rx = await grpcReceiver();
  try {
    await run(['--store', 'none', '--otlp', rx.url], {
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'grpc',
      OTEL_SERVICE_NAME: 'checkout',
    });
    for (const g of rx.got) assert.equal(g.contentType, 'application/grpc');
    checkExport(rx, 'checkout');
  } finally {
    rx.close();
  }
});

interface Failure {
  /** The collector: none (a closed port), or a stand-in that fails as told. */
  collector: () => Promise<Receiver | null>;
  env: NodeJS.ProcessEnv;
  /** Why it failed, as the line says it in its parentheses. */
  reason: RegExp;
}

const GRPC = { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TIMEOUT: '3000' };
/**
 * Collectors that fail, over HTTP (retried within OTEL_EXPORTER_OTLP_TIMEOUT) and gRPC (not
 * retried: a status arrives well within 3 s even on a loaded machine, where 300 ms was not
 * always enough to connect; a collector that never answers keeps 300 ms).
 */
const FAILURES: Record<string, Failure> = {
  refused: {
    collector: async () => null,
    env: { OTEL_EXPORTER_OTLP_TIMEOUT: '300' },
    reason: /\(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/,
  },
  'HTTP 400': {
    collector: () => receiver({ kind: 'status', status: 400 }),
    env: { OTEL_EXPORTER_OTLP_TIMEOUT: '300' },
    reason: /\(HTTP 400 Bad Request\)$/,
  },
  'HTTP 503': {
    collector: () => receiver({ kind: 'status', status: 503 }),
    env: { OTEL_EXPORTER_OTLP_TIMEOUT: '300' },
    // Retried until the exporter's time runs out: between two tries, or during one (CI Node 26 under load).
    reason: /\((Export failed with retryable status|Request timed out)\)$/,
  },
  'gRPC refused': {
    collector: async () => null,
    env: GRPC,
    reason: /\(gRPC 14 UNAVAILABLE: No connection established\. Last error: .*connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/,
  },
  // The exporter's deadline, or mscope's bound a second later.
  'gRPC never answers': {
    collector: () => grpcReceiver({ kind: 'silent' }),
    env: { ...GRPC, OTEL_EXPORTER_OTLP_TIMEOUT: '300' },
    // grpc-js says how long it waited only when the call had started (CI Node 24 under load: plain "Deadline exceeded").
    reason: /\((gRPC 4 DEADLINE_EXCEEDED: Deadline exceeded(?: after .+)?|no answer within 1300 ms)\)$/,
  },
  'gRPC UNAVAILABLE': {
    collector: () => grpcReceiver({ kind: 'status', status: 14 }),
    env: GRPC,
    reason: /\(gRPC 14 UNAVAILABLE: refused by the test\)$/,
  },
  'gRPC INVALID_ARGUMENT': {
    collector: () => grpcReceiver({ kind: 'status', status: 3 }),
    env: GRPC,
    reason: /\(gRPC 3 INVALID_ARGUMENT: refused by the test\)$/,
  },
};

for (const [failure, { collector, env, reason }] of Object.entries(FAILURES)) {
  test(
    `an OTLP collector that fails (${failure}): one line on stderr, the store and the output are kept, mscope exits`,
    { timeout: 120_000 },
    async () => {
      const rx = await collector();
      const url = rx?.url ?? (await closedPort());
      const dir = tmp();
      try {
        const r = await mscope(['run', '--store', 'acct.db', '--otlp', url, '--', ...CMD], dir, env);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, 'requests: 200 200\n');
        const lines = r.stderr.split('\n').filter((l) => l.includes('OTLP'));
        assert.equal(lines.length, 1, r.stderr);
        assert.match(
          lines[0]!,
          new RegExp(`^mscope: OTLP export to ${url} failed: 2 of 2 spans and (\\d+) of \\1 metric exports not sent \\(.+\\)$`),
        );
        assert.match(lines[0]!, reason);
        assert.equal(rx?.got.length ?? 0, 0);
        assert.match(r.stderr, /^mscope: accounting: 2 activities recorded in acct\.db \(run 1\)$/m);
        assert.ok(existsSync(join(dir, 'acct.db')));
        const rep = await mscope(['report', 'acct.db'], dir);
        assert.match(rep.stdout, /^GET \/joined\s+1\s/m);
      } finally {
        rx?.close();
      }
    },
  );
}

import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { acct } from '../../src/accounting/index.js';
import { OtlpExporter } from '../../src/export/index.js';

interface Received {
  path: string;
  contentType: string;
  body: Record<string, unknown>;
}

/** A collector stand-in: accepts OTLP/HTTP JSON and keeps what it decoded. */
async function receiver(): Promise<{ url: string; got: Received[]; close: () => void }> {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({
        path: req.url!,
        contentType: String(req.headers['content-type']),
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      });
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got, close: () => server.close() };
}

type Attr = { key: string; value: Record<string, unknown> };
const attrs = (list: Attr[]): Record<string, unknown> => Object.fromEntries(list.map((a) => [a.key, Object.values(a.value)[0]]));

before(() => acct.enable({ http: false }));
after(() => acct.disable());

describe('OTLP/HTTP export', () => {
  it('sends one span per activity with its breakdown, and per-token metrics', async () => {
    const rx = await receiver();
    const exporter = new OtlpExporter(acct, { url: rx.url, serviceName: 'otlp-test', intervalMs: 60_000 });
    for (let i = 0; i < 3; i++) await acct.run('job', () => sleep(2));
    await acct.run('other', () => sleep(1));
    await exporter.close();
    rx.close();
    assert.equal(exporter.sent, 4);
    assert.equal(exporter.dropped, 0);
    const traces = rx.got.find((g) => g.path === '/v1/traces')!;
    assert.equal(traces.contentType, 'application/json');
    const rs = (
      traces.body.resourceSpans as { resource: { attributes: Attr[] }; scopeSpans: { spans: Record<string, unknown>[] }[] }[]
    )[0]!;
    assert.equal(attrs(rs.resource.attributes)['service.name'], 'otlp-test');
    const spans = rs.scopeSpans[0]!.spans;
    assert.equal(spans.length, 4);
    for (const s of spans) {
      assert.match(String(s.traceId), /^[0-9a-f]{32}$/);
      assert.match(String(s.spanId), /^[0-9a-f]{16}$/);
      const start = BigInt(String(s.startTimeUnixNano));
      const end = BigInt(String(s.endTimeUnixNano));
      const a = attrs(s.attributes as Attr[]);
      assert.equal(a['mscope.token'], s.name);
      assert.equal(end - start, BigInt(Math.round(Number(a['mscope.latency_ns']))));
      assert.equal(a['mscope.timer_count'], '1');
      assert.ok(Number(a['mscope.cpu_ns']) > 0);
    }
    const metrics = rx.got.find((g) => g.path === '/v1/metrics')!;
    const ms = (metrics.body.resourceMetrics as { scopeMetrics: { metrics: Record<string, unknown>[] }[] }[])[0]!.scopeMetrics[0]!.metrics;
    const latency = ms.find((m) => m.name === 'mscope.activity.latency') as {
      histogram: {
        aggregationTemporality: number;
        dataPoints: { attributes: Attr[]; count: string; bucketCounts: string[]; explicitBounds: number[] }[];
      };
    };
    assert.equal(latency.histogram.aggregationTemporality, 1);
    const job = latency.histogram.dataPoints.find((d) => attrs(d.attributes).token === 'job')!;
    assert.equal(job.count, '3');
    assert.equal(job.bucketCounts.length, job.explicitBounds.length + 1);
    assert.equal(
      job.bucketCounts.reduce((s, c) => s + Number(c), 0),
      3,
    );
    const ops = ms.find((m) => m.name === 'mscope.activity.operations') as {
      sum: { isMonotonic: boolean; dataPoints: { attributes: Attr[]; asInt: string }[] };
    };
    const timers = ops.sum.dataPoints.find((d) => attrs(d.attributes).token === 'job' && attrs(d.attributes).field === 'timer_count')!;
    assert.equal(timers.asInt, '3');
  });

  it('counts what a dead collector could not take', async () => {
    const rx = await receiver();
    rx.close();
    const exporter = new OtlpExporter(acct, { url: rx.url, intervalMs: 60_000 });
    await acct.run('lost', () => sleep(1));
    await exporter.close();
    assert.equal(exporter.sent, 0);
    assert.equal(exporter.dropped, 1);
    assert.ok(exporter.failures >= 1);
  });
});

import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { acct } from '../../src/accounting/index.js';
import { OtlpExporter } from '../../src/export/otlp.js';
import { attrs, receiver, type KeyValue, type Receiver } from './otlp-receiver.js';

interface DataPoint {
  attributes: KeyValue[];
  count?: string;
}

let rx: Receiver;
before(async () => {
  rx = await receiver();
});
after(() => rx.close());

type Point = Record<string, string | number | boolean | undefined>;

/** The data points of one metric, across every export received: attributes and count. */
function points(name: string): Point[] {
  const metrics = rx.got.flatMap((g) => (g.body.resourceMetrics ?? []).flatMap((rm) => rm.scopeMetrics.flatMap((s) => s.metrics)));
  return metrics
    .filter((m) => m.name === name)
    .flatMap((m) => ((m.histogram ?? m.sum) as { dataPoints: DataPoint[] }).dataPoints)
    .map((p) => ({ ...attrs(p.attributes), count: p.count }));
}

test('OTLP metrics cap distinct tokens as Prometheus does: later HTTP paths share one overflow="true" series, one warning', async () => {
  const MAX = 250;
  const PATHS = 300;
  const warnings: string[] = [];
  acct.enable();
  const exporter = await OtlpExporter.open(acct, {
    url: rx.url,
    spans: false,
    maxTokens: MAX,
    warn: (line) => warnings.push(line),
    intervalMs: 600_000,
  });
  const app = http.createServer((req, res) => res.end(req.url));
  app.listen(0, '127.0.0.1');
  await once(app, 'listening');
  const port = (app.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  try {
    for (let i = 0; i < PATHS; i++) {
      await new Promise<void>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: `/item/${i}`, agent }, (res) => res.resume().on('end', resolve)).on('error', reject);
      });
    }
  } finally {
    agent.destroy();
    app.close();
    acct.disable();
    await exporter.close();
  }
  assert.equal(exporter.lost, 0, exporter.tally.lastError);

  const latency = points('mscope.activity.latency');
  const tokens = latency.filter((p) => p.token !== undefined);
  assert.equal(new Set(tokens.map((p) => p.token)).size, MAX, 'the first MAX paths keep their own series');
  assert.deepEqual(
    latency.filter((p) => p.token === undefined),
    [{ overflow: 'true', count: String(PATHS - MAX) }],
  );

  // 12 subsystems per token: past the SDK's own 2000-series default, which must not fold them first.
  const subsystem = points('mscope.activity.subsystem');
  assert.ok(subsystem.length > 2000, `${subsystem.length} subsystem series`);
  assert.ok(
    subsystem.every((p) => p['otel.metric.overflow'] === undefined),
    'the SDK folded nothing',
  );
  assert.equal(new Set(subsystem.map((p) => p.token ?? 'overflow')).size, MAX + 1);
  assert.deepEqual(
    subsystem.find((p) => p.overflow === 'true' && p.subsystem === 'cpu'),
    { overflow: 'true', subsystem: 'cpu', count: String(PATHS - MAX) },
  );
  assert.deepEqual(warnings, [
    `otlp: more than ${MAX} distinct token values; the rest are exported as one series labelled overflow="true"`,
  ]);
});

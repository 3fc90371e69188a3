import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { acct } from '../../src/accounting/index.js';
import { PrometheusExporter } from '../../src/export/prometheus.js';

const PROMETHEUS = ['/usr/bin/prometheus', '/usr/local/bin/prometheus'].find((p) => existsSync(p));

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mscope-prom-'));
  acct.enable();
});
after(() => {
  acct.disable();
  rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function query(port: number, promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  assert.equal(body.status, 'success');
  return body.data.result;
}

describe('Prometheus export', () => {
  it('serves per-token series in the exposition format', async () => {
    const exporter = new PrometheusExporter(acct);
    await acct.run('GET /unit', () => sleep(1));
    const text = await exporter.metrics();
    await exporter.close();
    assert.match(text, /mscope_activities_total\{token="GET \/unit"\} 1/);
    assert.match(text, /mscope_activity_latency_seconds_count\{token="GET \/unit"\} 1/);
    assert.match(text, /mscope_activity_subsystem_seconds_count\{token="GET \/unit",subsystem="cpu"\} 1/);
    assert.match(text, /mscope_activity_operations_total\{token="GET \/unit",field="timer_count"\} 1/);
  });

  it('caps distinct token values: later tokens share one overflow="true" series, with one warning', async () => {
    const warnings: string[] = [];
    const exporter = new PrometheusExporter(acct, { maxTokens: 50, warn: (line) => warnings.push(line) });
    for (let i = 0; i < 120; i++) await acct.run(`GET /path/${i}`, () => sleep(0));
    const text = await exporter.metrics();
    await exporter.close();
    const tokens = new Set([...text.matchAll(/^mscope_activities_total\{token="([^"]*)"\}/gm)].map((m) => m[1]));
    assert.equal(tokens.size, 50);
    assert.match(text, /^mscope_activities_total\{overflow="true"\} 70$/m);
    assert.match(text, /^mscope_activity_subsystem_seconds_count\{overflow="true",subsystem="cpu"\} 70$/m);
    assert.deepEqual(warnings, [
      'prometheus: more than 50 distinct token values; the rest are exported as one series labelled overflow="true"',
    ]);
  });

  it(
    'is scraped by a real Prometheus while a real server is under load',
    { skip: PROMETHEUS === undefined && 'Debian package prometheus not installed', timeout: 120_000 },
    async () => {
      const exporter = new PrometheusExporter(acct);
      const exporterPort = await exporter.listen();
      const app = http.createServer((req, res) => setTimeout(() => res.end(req.url), 1));
      app.listen(0, '127.0.0.1');
      await once(app, 'listening');
      const appPort = (app.address() as AddressInfo).port;
      const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
      const get = (path: string): Promise<void> =>
        new Promise((resolve, reject) => {
          http.get({ host: '127.0.0.1', port: appPort, path, agent }, (res) => res.resume().on('end', resolve)).on('error', reject);
        });
      const load: Promise<void>[] = [];
      for (let i = 0; i < 120; i++) load.push(get('/a'));
      for (let i = 0; i < 80; i++) load.push(get('/b?q=1'));
      await Promise.all(load);
      agent.destroy();

      const promPort = await freePort();
      const config = join(dir, 'prometheus.yml');
      writeFileSync(
        config,
        `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: mscope\n    static_configs:\n      - targets: ['127.0.0.1:${exporterPort}']\n`,
      );
      const prom: ChildProcess = spawn(
        PROMETHEUS!,
        [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
        { stdio: 'ignore' },
      );
      try {
        let result: Awaited<ReturnType<typeof query>> = [];
        for (let tries = 0; tries < 100; tries++) {
          await sleep(500);
          try {
            result = await query(promPort, 'sum by (token) (mscope_activities_total{job="mscope"})');
          } catch {
            continue;
          }
          if (result.length === 2) break;
        }
        const byToken = Object.fromEntries(result.map((r) => [r.metric.token, Number(r.value[1])]));
        assert.deepEqual(byToken, { 'GET /a': 120, 'GET /b': 80 });
        const hist = await query(promPort, 'mscope_activity_latency_seconds_count{token="GET /a"}');
        assert.equal(Number(hist[0]!.value[1]), 120);
        const bytes = await query(promPort, 'mscope_activity_bytes_total{token="GET /b",field="net_in_bytes"}');
        assert.ok(Number(bytes[0]!.value[1]) > 80 * 20, 'request bytes counted');
        const cpu = await query(promPort, 'mscope_activity_subsystem_seconds_count{token="GET /a",subsystem="cpu"}');
        assert.equal(Number(cpu[0]!.value[1]), 120);
      } finally {
        prom.kill('SIGTERM');
        await once(prom, 'exit');
        await exporter.close();
        app.close();
      }
    },
  );
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIELDS, type AcctRecord, type RecordSource } from '../../src/accounting/index.js';
import { OtlpExporter } from '../../src/export/otlp.js';
import { receiver } from './otlp-receiver.js';

/** A record source the test feeds by hand: one finished activity per call of `emit`. */
function handSource(): RecordSource & { emit(): void } {
  const sinks: ((r: AcctRecord) => void)[] = [];
  return {
    options: null,
    onRecord(sink) {
      sinks.push(sink);
      return () => sinks.splice(sinks.indexOf(sink), 1);
    },
    emit() {
      const r: Record<string, unknown> = { id: 1, token: 'GET /', start_ns: 1e6, done: true, metrics: {} };
      for (const f of FIELDS) r[f.name] = f.name === 'latency_ns' ? 2e6 : 0;
      for (const s of sinks) s(r as AcctRecord);
    },
  };
}

test('an export still unanswered when close gives up is counted as not sent, spans and metric exports alike', async () => {
  const rx = await receiver({ kind: 'silent' });
  const saved = process.env.OTEL_EXPORTER_OTLP_TIMEOUT;
  // The exporters would wait 2 s for an answer; close stops waiting after 300 ms.
  process.env.OTEL_EXPORTER_OTLP_TIMEOUT = '2000';
  const source = handSource();
  try {
    const exporter = await OtlpExporter.open(source, { url: rx.url, intervalMs: 600_000 });
    source.emit();
    await exporter.close(300);
    assert.equal(exporter.tally.metricExports, 1);
    assert.equal(exporter.lost, 2);
    assert.equal(
      exporter.lossLine(),
      `OTLP export to ${rx.url} failed: 1 of 1 spans and 1 of 1 metric exports not sent (no answer within 300 ms)`,
    );
  } finally {
    if (saved === undefined) delete process.env.OTEL_EXPORTER_OTLP_TIMEOUT;
    else process.env.OTEL_EXPORTER_OTLP_TIMEOUT = saved;
    rx.close();
  }
});

test('an export the collector accepted is not lost: no line', async () => {
  const rx = await receiver();
  const source = handSource();
  try {
    const exporter = await OtlpExporter.open(source, { url: rx.url, intervalMs: 600_000 });
    source.emit();
    await exporter.close();
    assert.deepEqual([exporter.tally.spansSent, exporter.tally.metricExports, exporter.tally.metricExportsSent], [1, 1, 1]);
    assert.equal(exporter.lost, 0);
    assert.equal(exporter.lossLine(), null);
  } finally {
    rx.close();
  }
});

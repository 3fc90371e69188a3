import { randomBytes } from 'node:crypto';
import { FIELDS, type AcctRecord } from '../accounting/index.js';

/**
 * OTLP/JSON encoding (the protobuf messages in their JSON mapping, as OTLP/HTTP accepts with
 * Content-Type application/json): ids are hex, 64-bit integers are decimal strings.
 */
type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
export interface KeyValue {
  key: string;
  value: AnyValue;
}

const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_SERVER = 2;
const DELTA = 1;

function attr(key: string, v: string | number | boolean): KeyValue {
  if (typeof v === 'string') return { key, value: { stringValue: v } };
  if (typeof v === 'boolean') return { key, value: { boolValue: v } };
  return Number.isInteger(v) ? { key, value: { intValue: String(v) } } : { key, value: { doubleValue: v } };
}

function nanos(ns: number): string {
  return BigInt(Math.round(ns)).toString();
}

export function resource(serviceName: string): { attributes: KeyValue[] } {
  return {
    attributes: [attr('service.name', serviceName), attr('telemetry.sdk.name', 'microscope'), attr('telemetry.sdk.language', 'nodejs')],
  };
}

const SCOPE = { name: 'microscope.acct', version: '0.1.0' };

/** One span per activity; the breakdown as `mscope.*` attributes (`mscope.fs_bytes`). */
export function encodeSpans(records: readonly AcctRecord[], serviceName: string): unknown {
  const spans = records.map((r) => {
    const attributes: KeyValue[] = [attr('mscope.token', r.token), attr('mscope.activity_id', r.id)];
    for (const f of FIELDS) if (r[f.name] !== 0) attributes.push(attr(`mscope.${f.name}`, r[f.name]));
    for (const [k, v] of Object.entries(r.metrics)) attributes.push(attr(`mscope.metric.${k}`, v));
    const http = /^[A-Z]+ \//.test(r.token);
    return {
      traceId: randomBytes(16).toString('hex'),
      spanId: randomBytes(8).toString('hex'),
      name: r.token,
      kind: http ? SPAN_KIND_SERVER : SPAN_KIND_INTERNAL,
      startTimeUnixNano: nanos(r.start_ns),
      // Added as integers: an epoch in ns is past 2^53, where a double's step is 256 ns.
      endTimeUnixNano: (BigInt(Math.round(r.start_ns)) + BigInt(Math.round(r.latency_ns))).toString(),
      attributes,
      status: {},
    };
  });
  return { resourceSpans: [{ resource: resource(serviceName), scopeSpans: [{ scope: SCOPE, spans }] }] };
}

/** Per-token delta histograms of latency and subsystem times (seconds), and byte/operation sums. */
export function encodeMetrics(
  records: readonly AcctRecord[],
  serviceName: string,
  bounds: readonly number[],
  startNs: number,
  endNs: number,
): unknown {
  const hist = new Map<string, { attributes: KeyValue[]; count: number; sum: number; buckets: number[] }[]>();
  const sums = new Map<string, Map<string, number>>();
  const seriesOf = new Map<string, { attributes: KeyValue[]; count: number; sum: number; buckets: number[] }>();
  const observe = (metric: string, labels: [string, string][], seconds: number): void => {
    const key = `${metric}\0${labels.map((l) => l.join('=')).join('\0')}`;
    let s = seriesOf.get(key);
    if (s === undefined) {
      s = { attributes: labels.map(([k, v]) => attr(k, v)), count: 0, sum: 0, buckets: new Array<number>(bounds.length + 1).fill(0) };
      seriesOf.set(key, s);
      const list = hist.get(metric) ?? [];
      list.push(s);
      hist.set(metric, list);
    }
    s.count++;
    s.sum += seconds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    s.buckets[i]!++;
  };
  for (const r of records) {
    observe('mscope.activity.latency', [['token', r.token]], r.latency_ns / 1e9);
    for (const f of FIELDS) {
      const v = r[f.name];
      if (f.name.endsWith('_ns') && f.name !== 'latency_ns')
        observe(
          'mscope.activity.subsystem',
          [
            ['token', r.token],
            ['subsystem', f.name.slice(0, -3)],
          ],
          v / 1e9,
        );
      else if (v !== 0 && (f.name.endsWith('_bytes') || f.name.endsWith('_count'))) {
        const m = f.name.endsWith('_bytes') ? 'mscope.activity.bytes' : 'mscope.activity.operations';
        const k = `${r.token}\0${f.name}`;
        const by = sums.get(m) ?? new Map<string, number>();
        by.set(k, (by.get(k) ?? 0) + v);
        sums.set(m, by);
      }
    }
  }
  const start = nanos(startNs);
  const time = nanos(endNs);
  const metrics: unknown[] = [];
  for (const [name, series] of hist) {
    metrics.push({
      name,
      unit: 's',
      histogram: {
        aggregationTemporality: DELTA,
        dataPoints: series.map((s) => ({
          attributes: s.attributes,
          startTimeUnixNano: start,
          timeUnixNano: time,
          count: String(s.count),
          sum: s.sum,
          bucketCounts: s.buckets.map(String),
          explicitBounds: bounds,
        })),
      },
    });
  }
  for (const [name, by] of sums) {
    metrics.push({
      name,
      unit: name.endsWith('bytes') ? 'By' : '1',
      sum: {
        aggregationTemporality: DELTA,
        isMonotonic: true,
        dataPoints: [...by].map(([k, v]) => {
          const [token, field] = k.split('\0') as [string, string];
          return {
            attributes: [attr('token', token), attr('field', field)],
            startTimeUnixNano: start,
            timeUnixNano: time,
            asInt: String(v),
          };
        }),
      },
    });
  }
  return { resourceMetrics: [{ resource: resource(serviceName), scopeMetrics: [{ scope: SCOPE, metrics }] }] };
}

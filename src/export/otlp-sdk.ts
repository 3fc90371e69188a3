import { ROOT_CONTEXT, SpanKind, defaultTextMapGetter, type Attributes, type Context, type HrTime } from '@opentelemetry/api';
import { ExportResultCode, W3CTraceContextPropagator, addHrTimes, getNumberFromEnv, type ExportResult } from '@opentelemetry/core';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { FIELDS, type AcctRecord } from '../accounting/index.js';
import { DEFAULT_MAX_LABEL_VALUES, LabelCap, OVERFLOW_LABEL, warnOnStderr } from './cardinality.js';
import type { OtlpOptions, OtlpPipeline, OtlpProtocol, OtlpTally } from './otlp.js';

const DEFAULT_BOUNDS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];
const SCOPE = 'microscope.acct';
const HTTP_TOKEN = /^([A-Z]+) \//;
const propagator = new W3CTraceContextPropagator();
/** A record's metric attributes past the token cap: the overflow series, labelled as Prometheus labels it. */
const OVERFLOW = Object.freeze({ [OVERFLOW_LABEL]: 'true' });

/**
 * Why an export failed, for the one line: an OTLP/HTTP error's code is the HTTP status; a gRPC
 * status error (it has `details`) already reads `14 UNAVAILABLE: …`, and grpc-js ends it with
 * an empty "Resolution note" when there is none.
 */
function describe(error: unknown): string {
  if (error === undefined) return 'failed';
  const e = error as { code?: unknown; message?: unknown; details?: unknown };
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(error);
  if (typeof e.details === 'string') return `gRPC ${message.replace(/\.? Resolution note: *$/, '')}`;
  return typeof e.code === 'number' ? `HTTP ${e.code} ${message}` : message;
}

/** Counts what the official exporter managed to send; the SDK itself only logs failures. */
class CountingSpanExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly tally: OtlpTally,
  ) {}
  export(spans: ReadableSpan[], done: (r: ExportResult) => void): void {
    this.inner.export(spans, (r) => {
      if (r.code === ExportResultCode.SUCCESS) this.tally.spansSent += spans.length;
      else this.tally.lastError = describe(r.error);
      done(r);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

class CountingMetricExporter implements PushMetricExporter {
  readonly selectAggregationTemporality: PushMetricExporter['selectAggregationTemporality'];
  readonly selectAggregation: PushMetricExporter['selectAggregation'];
  constructor(
    private readonly inner: PushMetricExporter,
    private readonly tally: OtlpTally,
  ) {
    this.selectAggregationTemporality = inner.selectAggregationTemporality?.bind(inner);
    this.selectAggregation = inner.selectAggregation?.bind(inner);
  }
  export(metrics: ResourceMetrics, done: (r: ExportResult) => void): void {
    this.tally.metricExports++;
    this.inner.export(metrics, (r) => {
      if (r.code === ExportResultCode.SUCCESS) this.tally.metricExportsSent++;
      else this.tally.lastError = describe(r.error);
      done(r);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
}

/** A URL from `--otlp` wins over the variables; without it the exporters read them. */
function urlConfig(base: string | undefined, path: string): { url?: string } {
  return base === undefined ? {} : { url: `${base.replace(/\/+$/, '')}${path}` };
}

/**
 * Over gRPC the URL names the server, without a path; its scheme says whether TLS is used
 * (`http://`: none), as the exporter decides for the OTEL_* endpoints too.
 */
function grpcConfig(base: string | undefined): { url?: string } {
  return base === undefined ? {} : { url: base };
}

async function spanExporter(protocol: OtlpProtocol, base: string | undefined): Promise<SpanExporter> {
  if (protocol === 'grpc') return new (await import('@opentelemetry/exporter-trace-otlp-grpc')).OTLPTraceExporter(grpcConfig(base));
  const config = urlConfig(base, '/v1/traces');
  if (protocol === 'http/json') return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(config);
  return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter(config);
}

async function metricExporter(protocol: OtlpProtocol, base: string | undefined): Promise<PushMetricExporter> {
  if (protocol === 'grpc') return new (await import('@opentelemetry/exporter-metrics-otlp-grpc')).OTLPMetricExporter(grpcConfig(base));
  const config = urlConfig(base, '/v1/metrics');
  if (protocol === 'http/json') return new (await import('@opentelemetry/exporter-metrics-otlp-http')).OTLPMetricExporter(config);
  return new (await import('@opentelemetry/exporter-metrics-otlp-proto')).OTLPMetricExporter(config);
}

/** Epoch nanoseconds (a double) as the SDK's [seconds, nanoseconds]. */
function hrTimeOf(epochNs: number): HrTime {
  const s = Math.floor(epochNs / 1e9);
  return [s, Math.round(epochNs - s * 1e9)];
}

/**
 * The incoming request's trace as the parent, when the record carries a valid traceparent,
 * with its tracestate. W3C Trace Context: a tracestate without a (valid) traceparent is
 * discarded, and its invalid list-members are dropped (the propagator's TraceState parses it).
 */
function parentOf(r: AcctRecord): Context {
  if (r.traceparent === undefined) return ROOT_CONTEXT;
  const carrier = r.tracestate === undefined ? { traceparent: r.traceparent } : { traceparent: r.traceparent, tracestate: r.tracestate };
  return propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}

function spanAttributes(r: AcctRecord): Attributes {
  const a: Attributes = { 'mscope.token': r.token, 'mscope.activity_id': r.id };
  if (r.pid !== undefined) a['process.pid'] = r.pid;
  const method = HTTP_TOKEN.exec(r.token)?.[1];
  if (method !== undefined) a[ATTR_HTTP_REQUEST_METHOD] = method;
  for (const f of FIELDS) if (r[f.name] !== 0) a[`mscope.${f.name}`] = r[f.name];
  for (const [k, v] of Object.entries(r.metrics)) a[`mscope.metric.${k}`] = v;
  return a;
}

/**
 * The SDK side of the OTLP export: a tracer provider with a batch processor, a meter provider
 * with a periodic reader, each on the official OTLP/HTTP exporter of its protocol. Resource:
 * the SDK's defaults, `service.name` from OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES.
 */
export async function openPipeline(
  o: OtlpOptions,
  protocols: { spans: OtlpProtocol | null; metrics: OtlpProtocol | null },
): Promise<{ pipeline: OtlpPipeline; record: (r: AcctRecord) => void }> {
  const tally: OtlpTally = { spans: 0, spansSent: 0, metricExports: 0, metricExportsSent: 0, lastError: undefined };
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: o.serviceName ?? 'mscope' }))
    .merge(detectResources({ detectors: [envDetector] }));
  const closers: (() => Promise<void>)[] = [];
  const sinks: ((r: AcctRecord) => void)[] = [];

  if (protocols.spans !== null) {
    const exporter = new CountingSpanExporter(await spanExporter(protocols.spans, o.url), tally);
    // A burst at exit (every process's last records) must not overflow the SDK's 2048 default.
    const maxQueueSize = getNumberFromEnv('OTEL_BSP_MAX_QUEUE_SIZE') ?? 65536;
    const provider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize })] });
    const tracer = provider.getTracer(SCOPE);
    closers.push(() => provider.shutdown());
    sinks.push((r) => {
      tally.spans++;
      const start = hrTimeOf(r.start_ns);
      const kind = HTTP_TOKEN.test(r.token) ? SpanKind.SERVER : SpanKind.INTERNAL;
      const span = tracer.startSpan(r.token, { kind, startTime: start, attributes: spanAttributes(r) }, parentOf(r));
      span.end(addHrTimes(start, hrTimeOf(r.latency_ns)));
    });
  }

  if (protocols.metrics !== null) {
    const exporter = new CountingMetricExporter(await metricExporter(protocols.metrics, o.url), tally);
    const interval = o.intervalMs ?? getNumberFromEnv('OTEL_METRIC_EXPORT_INTERVAL') ?? 5000;
    const timeout = Math.min(interval, getNumberFromEnv('OTEL_METRIC_EXPORT_TIMEOUT') ?? 30_000);
    const tokens = new LabelCap(o.maxTokens ?? DEFAULT_MAX_LABEL_VALUES, o.warn ?? warnOnStderr, 'otlp');
    // The SDK folds each stream past 2000 attribute sets into `otel.metric.overflow`, silently:
    // raise its limit above what the token cap lets through (every field of every kept token).
    const cardinalityLimits = { default: (tokens.max + 1) * FIELDS.length + 1 };
    const reader = new PeriodicExportingMetricReader({
      exporter,
      exportIntervalMillis: interval,
      exportTimeoutMillis: timeout,
      cardinalityLimits,
    });
    const provider = new MeterProvider({ resource, readers: [reader] });
    closers.push(() => provider.shutdown());
    const meter = provider.getMeter(SCOPE);
    const bounds = o.bounds ?? DEFAULT_BOUNDS;
    const latency = meter.createHistogram('mscope.activity.latency', { unit: 's', advice: { explicitBucketBoundaries: bounds } });
    const subsystem = meter.createHistogram('mscope.activity.subsystem', { unit: 's', advice: { explicitBucketBoundaries: bounds } });
    const bytes = meter.createCounter('mscope.activity.bytes', { unit: 'By' });
    const operations = meter.createCounter('mscope.activity.operations', { unit: '1' });
    // Attributes are built literally: spreading a shared `{ token }` into each tripled the
    // sink's cost (35 → 90 µs a record, measured with 20,000 records of 100 tokens).
    sinks.push((r) => {
      const token = tokens.admit(r.token);
      latency.record(r.latency_ns / 1e9, token === null ? OVERFLOW : { token });
      for (const f of FIELDS) {
        const v = r[f.name];
        if (f.name.endsWith('_ns')) {
          if (f.name === 'latency_ns') continue;
          const s = f.name.slice(0, -3);
          subsystem.record(v / 1e9, token === null ? { [OVERFLOW_LABEL]: 'true', subsystem: s } : { token, subsystem: s });
        } else if (v !== 0) {
          const field = f.name;
          (field.endsWith('_bytes') ? bytes : operations).add(v, token === null ? { [OVERFLOW_LABEL]: 'true', field } : { token, field });
        }
      }
    });
  }

  const pipeline: OtlpPipeline = {
    tally,
    close: async () => {
      await Promise.allSettled(closers.map((c) => c()));
    },
  };
  return { pipeline, record: (r) => sinks.forEach((s) => s(r)) };
}

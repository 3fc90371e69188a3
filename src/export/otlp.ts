import type { RecordSource } from '../accounting/index.js';

/** The OTLP transports the official exporters offer (`OTEL_EXPORTER_OTLP_PROTOCOL`). */
export type OtlpProtocol = 'grpc' | 'http/protobuf' | 'http/json';
const PROTOCOLS: readonly string[] = ['grpc', 'http/protobuf', 'http/json'] satisfies OtlpProtocol[];

export interface OtlpOptions {
  /**
   * Collector base URL (`http://127.0.0.1:4318`); over HTTP `/v1/traces` and `/v1/metrics` are
   * appended, over gRPC it is the server's address (`http://` means no TLS). Without it, the
   * standard variables say where (`OTEL_EXPORTER_OTLP_ENDPOINT`, the per-signal
   * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`/`…_METRICS_ENDPOINT`; by default
   * `http://localhost:4318`, or `http://localhost:4317` for grpc).
   */
  url?: string;
  /** Default service.name when neither OTEL_SERVICE_NAME nor OTEL_RESOURCE_ATTRIBUTES gives one. */
  serviceName?: string;
  /** Metric export period, ms (default OTEL_METRIC_EXPORT_INTERVAL, else 5000). */
  intervalMs?: number;
  /** Latency histogram bounds, seconds. */
  bounds?: number[];
  spans?: boolean;
  metrics?: boolean;
  /** Distinct `token` values in the metrics (default 1000); later ones share one `overflow="true"` series. */
  maxTokens?: number;
  /** Where the one-line overflow warning goes; default mscope's stderr. */
  warn?: (line: string) => void;
}

/** What an export reports at its end: counts, and why the last failed request failed. */
export interface OtlpTally {
  spans: number;
  spansSent: number;
  metricExports: number;
  /** Metric exports the collector accepted; the rest failed or had no answer by close. */
  metricExportsSent: number;
  lastError: string | undefined;
}

/** The half that holds the OpenTelemetry SDK, loaded only when an export is configured. */
export interface OtlpPipeline {
  readonly tally: OtlpTally;
  close(): Promise<void>;
}

/** A bad OTLP setting in the environment: one line for the user. */
export class OtlpConfigError extends Error {}

/** The protocol for one signal: per-signal variable, then the general one, then the spec's default. */
export function protocolFor(signal: 'TRACES' | 'METRICS', env: NodeJS.ProcessEnv = process.env): OtlpProtocol {
  const name =
    env[`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`] !== undefined ? `OTEL_EXPORTER_OTLP_${signal}_PROTOCOL` : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const v = (env[name] ?? 'http/protobuf').trim();
  if (PROTOCOLS.includes(v)) return v as OtlpProtocol;
  throw new OtlpConfigError(`${name}=${v} is not supported; use grpc, http/protobuf or http/json`);
}

/** Whether the standard variables ask for OTLP (`OTEL_TRACES_EXPORTER=otlp`, `OTEL_METRICS_EXPORTER=otlp`). */
export function otlpFromEnv(env: NodeJS.ProcessEnv = process.env): { spans: boolean; metrics: boolean } {
  const has = (v: string | undefined): boolean => (v ?? '').split(',').some((x) => x.trim() === 'otlp');
  return { spans: has(env.OTEL_TRACES_EXPORTER), metrics: has(env.OTEL_METRICS_EXPORTER) };
}

/** Where the spans (else the metrics) go, for the messages: the flag's URL, else what the variables say. */
export function describeEndpoint(
  url: string | undefined,
  signal: 'TRACES' | 'METRICS',
  protocol: OtlpProtocol,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (url !== undefined) return url;
  const fallback = protocol === 'grpc' ? 'http://localhost:4317' : 'http://localhost:4318';
  return env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`] ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? fallback;
}

/**
 * One span per activity and per-token metrics, through OpenTelemetry's own SDK and OTLP
 * exporters. The SDK is imported here, lazily: a run without OTLP never loads it.
 */
export class OtlpExporter {
  private constructor(
    private readonly pipeline: OtlpPipeline,
    private readonly detach: () => void,
    readonly endpoint: string,
  ) {}

  static async open(source: RecordSource, o: OtlpOptions): Promise<OtlpExporter> {
    const spans = o.spans ?? true;
    const metrics = o.metrics ?? true;
    const protocols = { spans: spans ? protocolFor('TRACES') : null, metrics: metrics ? protocolFor('METRICS') : null };
    const { openPipeline } = await import('./otlp-sdk.js');
    const { pipeline, record } = await openPipeline(o, protocols);
    const signal = protocols.spans !== null ? 'TRACES' : 'METRICS';
    const endpoint = describeEndpoint(o.url, signal, protocols.spans ?? protocols.metrics ?? 'http/protobuf');
    return new OtlpExporter(pipeline, source.onRecord(record), endpoint);
  }

  get tally(): OtlpTally {
    return this.pipeline.tally;
  }

  /** Spans or metric exports not known to have reached the collector: failed, or unanswered at close. */
  get lost(): number {
    const t = this.pipeline.tally;
    return t.spans - t.spansSent + t.metricExports - t.metricExportsSent;
  }

  /** The one line an export that lost data prints: what was not sent, and why; null when nothing was lost. */
  lossLine(): string | null {
    if (this.lost === 0) return null;
    const t = this.pipeline.tally;
    const parts: string[] = [];
    if (t.spans > t.spansSent) parts.push(`${t.spans - t.spansSent} of ${t.spans} spans`);
    if (t.metricExports > t.metricExportsSent) parts.push(`${t.metricExports - t.metricExportsSent} of ${t.metricExports} metric exports`);
    return `OTLP export to ${this.endpoint} failed: ${parts.join(' and ')} not sent (${t.lastError ?? 'no answer'})`;
  }

  /** Flushes and shuts the SDK down; resolves within `boundMs` whatever the collector does. */
  async close(boundMs = closeBoundMs()): Promise<void> {
    this.detach();
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), boundMs)));
    const r = await Promise.race([this.pipeline.close().then(() => 'done' as const), bound]);
    clearTimeout(timer);
    if (r === 'late') this.pipeline.tally.lastError ??= `no answer within ${boundMs} ms`;
  }
}

/** The exporters' own timeout (OTEL_EXPORTER_OTLP_TIMEOUT, default 10 s) and a second of slack. */
function closeBoundMs(): number {
  const v = Number(process.env.OTEL_EXPORTER_OTLP_TIMEOUT);
  return (Number.isFinite(v) && v > 0 ? v : 10_000) + 1000;
}

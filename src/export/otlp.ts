import type { RecordSource, AcctRecord } from '../accounting/index.js';
import { wallNs } from '../core/index.js';
import { encodeMetrics, encodeSpans } from './otlp-encode.js';

export interface OtlpOptions {
  /** Collector base URL (`http://127.0.0.1:4318`); `/v1/traces` and `/v1/metrics` are appended. */
  url: string;
  serviceName?: string;
  /** Export period, ms. */
  intervalMs?: number;
  /** Spans per request; a full batch is sent at once. */
  maxBatch?: number;
  /** Records held while the collector is slow; beyond it they are dropped and counted. */
  maxQueue?: number;
  bounds?: number[];
  /** Longest one request may take; the OTLP default, or `OTEL_EXPORTER_OTLP_TIMEOUT`, is 10 s. */
  timeoutMs?: number;
}

/** OTLP exporters' standard setting (ms), as the OpenTelemetry SDKs read it. */
function envTimeoutMs(): number | undefined {
  const v = Number(process.env.OTEL_EXPORTER_OTLP_TIMEOUT);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

const DEFAULT_BOUNDS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

/**
 * OpenTelemetry over OTLP/HTTP with the JSON encoding, hand-written: one span per activity
 * and per-token delta metrics, POSTed from a batch, so the activity's path only queues.
 * No @opentelemetry dependency: the SDK's per-span cost (~3 µs) and its context manager are
 * what we avoid; what is sent is the same wire format.
 */
export class OtlpExporter {
  private queue: AcctRecord[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly detach: () => void;
  private lastExportNs = Number(wallNs());
  private inflight: Promise<void> = Promise.resolve();
  sent = 0;
  dropped = 0;
  failures = 0;
  /** Why the last failed request failed, for the one line mscope prints. */
  lastError: string | undefined;
  private readonly timeoutMs: number;

  constructor(
    acct: RecordSource,
    private readonly o: OtlpOptions,
  ) {
    this.timeoutMs = o.timeoutMs ?? envTimeoutMs() ?? 10_000;
    this.detach = acct.onRecord((r) => {
      if (this.queue.length >= (o.maxQueue ?? 65536)) {
        this.dropped++;
        return;
      }
      this.queue.push(r);
      if (this.queue.length >= (o.maxBatch ?? 512)) setImmediate(() => void this.flush());
    });
    this.timer = setInterval(() => void this.flush(), o.intervalMs ?? 5000);
    this.timer.unref();
  }

  /** Sends what is queued; resolves when the collector answered (or failed: counted). */
  flush(): Promise<void> {
    const rs = this.queue;
    if (rs.length === 0) return this.inflight;
    this.queue = [];
    const now = Number(wallNs());
    const since = this.lastExportNs;
    this.lastExportNs = now;
    const service = this.o.serviceName ?? 'mscope';
    const base = this.o.url.replace(/\/+$/, '');
    this.inflight = this.inflight.then(async () => {
      const ok1 = await this.post(`${base}/v1/traces`, encodeSpans(rs, service));
      const ok2 = await this.post(`${base}/v1/metrics`, encodeMetrics(rs, service, this.o.bounds ?? DEFAULT_BOUNDS, since, now));
      if (ok1 && ok2) this.sent += rs.length;
      else this.dropped += rs.length;
    });
    return this.inflight;
  }

  private async post(url: string, body: unknown): Promise<boolean> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer();
      if (res.ok) return true;
      this.lastError = `HTTP ${res.status}`;
    } catch (e) {
      const name = (e as Error).name;
      this.lastError =
        name === 'TimeoutError' || name === 'AbortError' ? `timed out after ${this.timeoutMs} ms` : ((e as Error).message ?? String(e));
    }
    this.failures++;
    return false;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.detach();
    await this.flush();
  }
}

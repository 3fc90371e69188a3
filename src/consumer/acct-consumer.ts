import type { AcctRecord, RecordSource } from '../accounting/index.js';
import { OtlpConfigError, OtlpExporter, PrometheusExporter, RecordStore } from '../export/index.js';
import { ErrorCode, MscopeError } from '../core/index.js';
import type { ConsumerMonitor } from './consumer.js';
import type { OutputSink } from './output.js';

export interface AccountingSinks {
  /** SQLite file for the records, or null for none. */
  readonly store: string | null;
  /** CMD as given to `mscope run`, on every row of the store. */
  readonly command?: string;
  readonly promPort?: number;
  /** OTLP export: the `--otlp` URL (else the OTEL_* variables say where) and which signals. */
  readonly otlp?: { readonly url?: string; readonly spans: boolean; readonly metrics: boolean };
  /** `-q`: no summary line at the end. */
  readonly quiet?: boolean;
}

/** Every traced process's finished records, merged in mscope: the exporters' one source. */
class RecordFeed implements RecordSource {
  readonly options = null;
  private readonly sinks: Array<(r: AcctRecord) => void> = [];

  onRecord(sink: (r: AcctRecord) => void): () => void {
    this.sinks.push(sink);
    return () => void this.sinks.splice(this.sinks.indexOf(sink), 1);
  }

  push(records: readonly AcctRecord[]): void {
    for (const r of records) for (const s of this.sinks) s(r);
  }
}

/**
 * The mscope side of accounting: stores records in SQLite, serves them to Prometheus and
 * sends them over OTLP, for the whole run. Opened before CMD starts, so that a port in use
 * or an unwritable store is one error line and CMD never runs.
 */
export class AccountingConsumer implements ConsumerMonitor {
  private readonly feed = new RecordFeed();
  private count = 0;
  /** A sink failed as it closed: its line is printed, and mscope does not exit 0. */
  failed = false;

  private constructor(
    private readonly sinks: AccountingSinks,
    private readonly store: RecordStore | null,
    private readonly prom: PrometheusExporter | null,
    private readonly otlp: OtlpExporter | null,
    feed: RecordFeed,
  ) {
    this.feed = feed;
  }

  static async open(sinks: AccountingSinks): Promise<AccountingConsumer> {
    const feed = new RecordFeed();
    let store: RecordStore | null = null;
    if (sinks.store !== null) {
      try {
        store = await RecordStore.open(sinks.store, sinks.command === undefined ? {} : { command: sinks.command });
      } catch (e) {
        throw new MscopeError(
          ErrorCode.BadUsage,
          `mscope: cannot open store ${sinks.store}: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      store.attach(feed);
    }
    let prom: PrometheusExporter | null = null;
    if (sinks.promPort !== undefined) {
      prom = new PrometheusExporter(feed, { port: sinks.promPort, host: '127.0.0.1' });
      try {
        await prom.listen();
      } catch (e) {
        await store?.close();
        const code = (e as NodeJS.ErrnoException).code;
        throw new MscopeError(ErrorCode.BadUsage, `mscope: cannot serve Prometheus on 127.0.0.1:${sinks.promPort}: ${code ?? String(e)}`);
      }
    }
    let otlp: OtlpExporter | null = null;
    if (sinks.otlp !== undefined) {
      try {
        otlp = await OtlpExporter.open(feed, sinks.otlp);
      } catch (e) {
        await prom?.close();
        await store?.close();
        if (e instanceof OtlpConfigError) throw new MscopeError(ErrorCode.BadUsage, `mscope: ${e.message}`);
        throw e;
      }
    }
    return new AccountingConsumer(sinks, store, prom, otlp, feed);
  }

  /** Every record as it arrives, after the exporters' own sinks; returns the unsubscribe. */
  onRecord(sink: (r: AcctRecord) => void): () => void {
    return this.feed.onRecord(sink);
  }

  delta(pid: number, data: unknown): void {
    const records = data as AcctRecord[];
    for (const r of records) r.pid = pid;
    this.count += records.length;
    this.feed.push(records);
  }

  final(pid: number, data: unknown): void {
    this.delta(pid, data);
  }

  /** Each sink is closed even when another fails; a failure is one line, never a lost summary. */
  async end(_out: OutputSink): Promise<void> {
    await this.closing('OTLP export', this.otlp?.close());
    const loss = this.otlp?.lossLine() ?? null;
    if (loss !== null) process.stderr.write(`mscope: ${loss}\n`);
    await this.closing('Prometheus endpoint', this.prom?.close());
    await this.closing(`store ${this.sinks.store}`, this.store?.close());
    if (this.sinks.quiet === true) return;
    const where =
      this.store === null
        ? ''
        : this.failed
          ? `; the store ${this.sinks.store} failed (above)`
          : ` in ${this.sinks.store} (run ${this.store.run})`;
    process.stderr.write(`mscope: accounting: ${this.count} activit${this.count === 1 ? 'y' : 'ies'} recorded${where}\n`);
  }

  private async closing(what: string, done: Promise<void> | undefined): Promise<void> {
    try {
      await done;
    } catch (e) {
      this.failed = true;
      process.stderr.write(`mscope: ${what} failed: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
}

/** Accounting records out of the process: the SQLite store, Prometheus and OTLP exporters. */
export { RecordStore, readStore, reportFile, PrometheusExporter, OtlpExporter } from './export/index.js';
export type { StoreOptions, PrometheusOptions, OtlpOptions } from './export/index.js';

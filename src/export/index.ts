export { RecordStore, readStore, type StoreOptions } from './store.js';
export { reportFile, reportRuns, readStoreFor } from './report.js';
export { PrometheusExporter, type PrometheusOptions } from './prometheus.js';
export { OtlpExporter, OtlpConfigError, otlpFromEnv, type OtlpOptions } from './otlp.js';

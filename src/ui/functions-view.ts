import type { FunctionMetrics } from '../consumer/function-metrics.js';
import { TOP_METRICS, type TopMetric, type TopRow } from '../consumer/top-table.js';

/** What the page's function view shows: each function's figures in the last interval and since the start. */
export interface FunctionsView {
  intervalMs: number;
  metrics: readonly TopMetric[];
  interval: TopRow[];
  total: TopRow[];
}

/** As `mscope top` refreshes, once a second; the page reads the last interval that ended. */
export const FUNCTIONS_INTERVAL_MS = 1000;

export function functionsView(metrics: FunctionMetrics): () => FunctionsView {
  let interval: TopRow[] = [];
  const timer = setInterval(() => (interval = metrics.interval(true)), FUNCTIONS_INTERVAL_MS);
  timer.unref();
  return () => ({ intervalMs: FUNCTIONS_INTERVAL_MS, metrics: TOP_METRICS, interval, total: metrics.sinceStart() });
}

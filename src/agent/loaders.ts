import type { MonitorSpec } from './protocol.js';
import type { AgentMonitor } from './types.js';

type Loader = (spec: MonitorSpec) => Promise<AgentMonitor>;

/** A monitor that runs in mscope alone: nothing to link, nothing to report. */
const CONSUMER_ONLY: AgentMonitor = { start: () => {}, flush: () => undefined, finish: () => undefined };

/**
 * Monitor kinds the agent can run. Each is imported when first used: the compiler and
 * accounting cost tens of milliseconds to load, paid at every traced process's start.
 */
const loaders = new Map<string, Loader>([
  ['ts', async (s) => (await import('./ts-monitor.js')).TsMonitor.load(s.spec, s.name)],
  ['d', async (s) => (await import('./script-monitor.js')).ScriptMonitor.load(s.spec)],
  ['acct', async (s) => (await import('./acct-monitor.js')).AccountingMonitor.load(s.spec)],
]);

/** A kind whose monitor lives in a later layer (attach's block counts): registered by the entry that starts the agent. */
export function addLoader(kind: string, loader: Loader): void {
  loaders.set(kind, loader);
}

export async function loadMonitor(spec: MonitorSpec): Promise<AgentMonitor> {
  const loader = loaders.get(spec.kind);
  if (loader === undefined) throw new Error(`unknown monitor kind "${spec.kind}"`);
  if (spec.consumerOnly === true) return CONSUMER_ONLY;
  // runAgent imported linking.ts before: the weaver's index, which registers the shm and message bindings.
  return loader(spec);
}

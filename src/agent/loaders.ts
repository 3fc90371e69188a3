import type { MonitorSpec } from './protocol.js';
import type { AgentMonitor } from './types.js';
import { CONSUMER_ONLY } from './agent.js';

type Loader = (spec: MonitorSpec) => Promise<AgentMonitor>;

/**
 * Monitor kinds the agent can run. Each is imported when first used: the compiler and
 * accounting cost tens of milliseconds to load, paid at every traced process's start.
 */
const MODULES = {
  ts: () => import('./ts-monitor.js'),
  d: () => import('./script-monitor.js'),
  acct: () => import('./acct-monitor.js'),
};

const loaders = new Map<string, Loader>([
  ['ts', async (s) => (await MODULES.ts()).TsMonitor.load(s.spec, s.name)],
  ['d', async (s) => (await MODULES.d()).ScriptMonitor.load(s.spec)],
  ['acct', async (s) => (await MODULES.acct()).AccountingMonitor.load(s.spec)],
]);

/** Imports the modules that monitors of `kinds` load, and the weaver's bindings, without loading a monitor. */
export async function preloadMonitorKinds(kinds: readonly string[]): Promise<void> {
  const known = kinds.filter((k): k is keyof typeof MODULES => Object.hasOwn(MODULES, k));
  await Promise.all([import('../weaver/index.js'), ...known.map((k) => MODULES[k]())]);
}

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

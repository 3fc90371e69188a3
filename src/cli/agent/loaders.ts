import type { MonitorSpec } from '../protocol.js';
import { TsMonitor } from './ts-monitor.js';
import { ScriptMonitor } from './script-monitor.js';
import { AccountingMonitor } from '../acct/acct-monitor.js';
import type { AgentMonitor } from './types.js';

type Loader = (spec: MonitorSpec) => Promise<AgentMonitor>;

/** Monitor kinds the agent can run; the script language registers `d` here. */
const loaders = new Map<string, Loader>([
  ['ts', (s) => TsMonitor.load(s.spec, s.name)],
  ['d', (s) => Promise.resolve(ScriptMonitor.load(s.spec))],
  ['acct', (s) => Promise.resolve(AccountingMonitor.load(s.spec))],
]);

export function registerMonitorLoader(kind: string, loader: Loader): void {
  loaders.set(kind, loader);
}

export async function loadMonitor(spec: MonitorSpec): Promise<AgentMonitor> {
  const loader = loaders.get(spec.kind);
  if (loader === undefined) throw new Error(`unknown monitor kind "${spec.kind}"`);
  return loader(spec);
}

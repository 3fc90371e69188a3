import { registry, type Probe, type ProbeDescription } from '../core/index.js';
import { ensureDcProbes, registerDc } from './dc.js';
import { registerDns } from './dns.js';
import { registerFs } from './fs.js';
import { registerGc } from './gc.js';
import { registerHttp } from './http.js';
import { registerLoop } from './loop.js';
import { registerNet } from './net.js';
import { registerProc } from './proc.js';
import { ensureProfileProbes, registerProfile } from './profile.js';
import { registerTask } from './task.js';

export { probe, UsdtProbe } from './usdt.js';
export { configureLoop, type LoopOptions } from './loop.js';
export { configureProfile } from './profile.js';
export {
  RECORDS,
  recordArgs,
  type RecordType,
  type HttpRequest,
  type NetSocket,
  type FsOp,
  type DnsLookup,
  type GcRecord,
  type LoopRecord,
  type TaskRecord,
  type ProfileRecord,
  type ProcRecord,
} from './catalogue.js';

/** Registers every runtime provider's probes. Cheap: no Node hook is installed until a probe is enabled. */
export function registerProviders(): void {
  registerHttp();
  registerFs();
  registerNet();
  registerDns();
  registerDc();
  registerProc();
  registerGc();
  registerLoop();
  registerTask();
  registerProfile();
  registry.addFactory(ensureProbes);
}

/**
 * Creates the open-ended probes a description names (`dc` channels, `profile-N`) before the weaver
 * matches it against the registry; returns the probes it created or found.
 */
export function ensureProbes(description: ProbeDescription): Probe[] {
  return [...ensureDcProbes(description), ...ensureProfileProbes(description)];
}

import { F } from './fields.js';
import type { Subsystem } from './fields.js';

/**
 * Async resource types whose lifetime (init to first callback) is time an activity spent
 * waiting on a subsystem. This is the fallback feed: it needs no provider, costs one Map
 * lookup per resource an activity creates, and gives counts and times but not bytes.
 */
export const enum Kind {
  None = 0,
  Fs = 1,
  Dns = 2,
  Net = 3,
  Pool = 4,
  Timer = 5,
  Child = 6,
}

const TYPES: ReadonlyArray<readonly [string, Kind]> = [
  ['FSREQCALLBACK', Kind.Fs],
  ['FSREQPROMISE', Kind.Fs],
  ['GETADDRINFOREQWRAP', Kind.Dns],
  ['GETNAMEINFOREQWRAP', Kind.Dns],
  ['QUERYWRAP', Kind.Dns],
  ['TCPCONNECTWRAP', Kind.Net],
  ['PIPECONNECTWRAP', Kind.Net],
  ['WRITEWRAP', Kind.Net],
  ['SHUTDOWNWRAP', Kind.Net],
  ['Timeout', Kind.Timer],
  ['PROCESSWRAP', Kind.Child],
  ['ZLIB', Kind.Pool],
];

const SUBSYSTEM_OF: Record<Kind, Subsystem | null> = {
  [Kind.None]: null,
  [Kind.Fs]: 'fs',
  [Kind.Dns]: 'dns',
  [Kind.Net]: 'net',
  [Kind.Pool]: 'pool',
  [Kind.Timer]: 'timers',
  [Kind.Child]: 'child',
};

/** Count and time slots per kind; index by Kind. */
export const COUNT_SLOT: readonly number[] = [-1, F.fsCount, F.dnsCount, F.netCount, F.poolCount, F.timerCount, F.childCount];
export const TIME_SLOT: readonly number[] = [-1, F.fsNs, F.dnsNs, F.netNs, F.poolNs, F.timerNs, F.childNs];

/** type → kind for the subsystems switched on and not already fed by a provider. */
export function kindTable(enabled: (s: Subsystem) => boolean): Map<string, Kind> {
  const m = new Map<string, Kind>();
  for (const [type, kind] of TYPES) if (enabled(SUBSYSTEM_OF[kind]!)) m.set(type, kind);
  return m;
}

/** Crypto's threadpool jobs are all `*REQUEST` (PBKDF2REQUEST, RANDOMBYTESREQUEST…). */
export function isPoolRequest(type: string): boolean {
  return type.endsWith('REQUEST');
}

import { registry } from '../core/index.js';
import { ModuleSites, untrack, type Token } from './sites.js';
import { registerShifts } from './stack-columns.js';

/**
 * What transformed code reaches through `globalThis[Symbol.for('microscope.runtime')]`:
 * a module's header calls `module()` once with its untraced token `$msU` (a hoisted function,
 * so that a call through an ESM import cycle before the header ran still has one) and, when
 * the rewrite moved columns, its file name and where (shifts.ts); its functions call the
 * module's `enter` and store to the token it returns.
 */
export interface Runtime {
  module: typeof moduleSites;
  skip(provider: string, module: string, func: string, reason: string): void;
}

export const RUNTIME_KEY = Symbol.for('microscope.runtime');
type WithRuntime = typeof globalThis & { [RUNTIME_KEY]?: Runtime };

const modules = new Map<string, ModuleSites>();

/**
 * A module evaluated twice (ESM and CJS copies, a test runner's fresh require cache)
 * shares its sites, so a probe keeps driving every copy's state array.
 */
export function moduleSites(
  provider: string,
  name: string,
  sites: ReadonlyArray<readonly [string, number]>,
  untracked?: object,
  file?: string,
  shifts?: string,
): ModuleSites {
  if (untracked !== undefined) untrack(untracked);
  if (shifts !== undefined) registerShifts(file, shifts);
  const key = `${provider}\0${name}`;
  const existing = modules.get(key);
  if (existing !== undefined && sameSites(existing, sites)) return existing;
  const m = ModuleSites.lazy(provider, name, sites);
  if (untracked !== undefined) m.untracked = untracked as Token;
  if (existing === undefined) modules.set(key, m);
  return m;
}

function sameSites(m: ModuleSites, sites: ReadonlyArray<readonly [string, number]>): boolean {
  const declared = m.declared;
  if (declared.length !== sites.length) return false;
  for (let i = 0; i < sites.length; i++) {
    if (declared[i]![0] !== sites[i]![0] || declared[i]![1] !== sites[i]![1]) return false;
  }
  return true;
}

function skip(provider: string, module: string, func: string, reason: string): void {
  registry.skip({ provider, module, func, reason });
}

/** Installs the global runtime once per thread; later calls return the first one. */
export function installRuntime(): Runtime {
  const g = globalThis as WithRuntime;
  return (g[RUNTIME_KEY] ??= { module: moduleSites, skip });
}

import * as nodeModule from 'node:module';
import { registry, type ProbeDescription } from '../core/index.js';
import { ModuleSites, SiteKind } from './sites.js';
import { wrapWithSite } from './wrap.js';

/**
 * The `node` provider: Node core modules' exported functions as `node:fs:readFile:entry`.
 * Probes are registered per module on request; a function's wrapper is installed only
 * when one of its probes is first enabled, so unused core functions stay untouched.
 * `return` fires when the function returns, a returned promise as retval (never observed:
 * that would mark a rejection handled); completion is the `fs`/`net` providers' job.
 */

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

const require = nodeModule.createRequire(import.meta.url);
const registered = new Map<string, ModuleSites>();

/** Modules that warn or throw when merely loaded; listed so that `--skipped` says why. */
const UNSAFE: Record<string, string> = {
  punycode: 'deprecated: loading it prints a warning',
  sys: 'deprecated alias of util',
  wasi: 'experimental: loading it prints a warning',
  'node:sqlite': 'experimental: loading it prints a warning',
  'node:ffi': 'experimental: loading it prints a warning',
  'node:sea': 'only meaningful inside a single executable application',
  'node:test/reporters': 'test runner internals',
  inspector: 'instrumenting the inspector would trace microScope itself',
  'inspector/promises': 'instrumenting the inspector would trace microScope itself',
};

export function registerAllCoreModules(): void {
  for (const name of nodeModule.builtinModules) {
    if (name.startsWith('_')) continue;
    registerCoreModule(name);
  }
}

/**
 * A probe factory for the registry: a description that can match the `node` provider
 * registers the core modules its module field names (all of them for a glob).
 */
export function nodeProbeFactory(description: ProbeDescription): void {
  for (const name of nodeModule.builtinModules) {
    if (name.startsWith('_') || registered.has(name)) continue;
    if (description.matchesModule('node', name)) registerCoreModule(name);
  }
}

/** Registers `node:NAME:FUNC:entry|return|error` for each exported function; idempotent. */
export function registerCoreModule(name: string): ModuleSites | null {
  const short = name.startsWith('node:') ? name.slice(5) : name;
  const existing = registered.get(short);
  if (existing !== undefined) return existing;
  const unsafe = UNSAFE[short] ?? UNSAFE[`node:${short}`];
  if (unsafe !== undefined) {
    registry.skip({ provider: 'node', module: short, func: '*', reason: unsafe });
    return null;
  }
  let exports: Record<string, unknown>;
  try {
    exports = require(`node:${short}`) as Record<string, unknown>;
  } catch (e) {
    registry.skip({ provider: 'node', module: short, func: '*', reason: `cannot load: ${e instanceof Error ? e.message : String(e)}` });
    return null;
  }
  const sites = new ModuleSites('node', short);
  registered.set(short, sites);
  for (const key of Object.keys(exports)) {
    const desc = Object.getOwnPropertyDescriptor(exports, key);
    if (desc === undefined || !('value' in desc) || typeof desc.value !== 'function') continue;
    const fn = desc.value as AnyFunction;
    if (isClass(key, fn)) continue;
    if (desc.writable !== true || desc.configurable !== true) {
      registry.skip({ provider: 'node', module: short, func: key, reason: 'non-writable or non-configurable property' });
      continue;
    }
    addLazySite(sites, exports, key, fn);
  }
  return sites;
}

/** Constructors keep `new` and `instanceof` only if left alone: uppercase names, real prototypes. */
function isClass(key: string, fn: AnyFunction): boolean {
  if (/^[A-Z]/.test(key)) return true;
  if (/^class[\s{]/.test(Function.prototype.toString.call(fn))) return true;
  const proto = (fn as { prototype?: object }).prototype;
  return proto !== undefined && proto !== null && Reflect.ownKeys(proto).some((k) => k !== 'constructor');
}

function kindOf(fn: AnyFunction): SiteKind {
  const tag = Object.prototype.toString.call(fn);
  return tag === '[object GeneratorFunction]' || tag === '[object AsyncGeneratorFunction]' ? SiteKind.Generator : SiteKind.Plain;
}

function addLazySite(sites: ModuleSites, exports: Record<string, unknown>, key: string, fn: AnyFunction): void {
  const i = sites.add(key, kindOf(fn));
  const site = sites.sites[i]!;
  let wrapped = false;
  const reset = (): void => void (wrapped = false);
  const probes = [site.entry, site.ret, site.err];
  for (const probe of probes) {
    probe.onToggle((_p, enabled) => {
      if (enabled && !wrapped) {
        wrapped = true;
        install(sites, i, exports, key, fn, reset);
      }
    });
  }
  // A description linked before the module was registered (mscope run links, then installs
  // the factory) enables the probe as it is registered, before the hook above exists.
  if (!wrapped && probes.some((p) => p.enabled)) {
    wrapped = true;
    install(sites, i, exports, key, fn, reset);
  }
}

/** Wrappers in place, so that a detach can put the originals back. */
const installed: Array<{
  exports: Record<string, unknown>;
  key: string;
  original: PropertyDescriptor;
  wrapped: AnyFunction;
  reset: () => void;
}> = [];

/**
 * From here on the wrapper stays while the process is traced: while no probe is enabled it costs
 * one load and compare. `reset` lets a later enable install it again after restoreCoreModules.
 */
function install(sites: ModuleSites, i: number, exports: Record<string, unknown>, key: string, fn: AnyFunction, reset: () => void): void {
  const wrapped = wrapWithSite(sites, i, fn);
  const desc = Object.getOwnPropertyDescriptor(exports, key)!;
  Object.defineProperty(exports, key, { ...desc, value: wrapped });
  installed.push({ exports, key, original: desc, wrapped, reset });
  nodeModule.syncBuiltinESMExports();
}

/**
 * Puts every core function we wrapped back as it was (a detach: the process runs its own code
 * again). A property the program replaced since is left as the program set it.
 */
export function restoreCoreModules(): void {
  if (installed.length === 0) return;
  for (const w of installed.splice(0)) {
    if (w.exports[w.key] === w.wrapped) Object.defineProperty(w.exports, w.key, w.original);
    w.reset();
  }
  nodeModule.syncBuiltinESMExports();
}

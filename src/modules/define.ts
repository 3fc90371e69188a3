import { ModuleSites, SiteKind } from './sites.js';
import { wrapWithSite } from './wrap.js';

type AnyFunction = (...args: never[]) => unknown;

/**
 * Declares a module with a narrow API: every function of `api` gets `fn:NAME:FUNC:entry`,
 * `return` and `error` probe sites. The returned object has the same keys; its functions
 * keep `name`, `length`, `this` and own properties, and cost one load and compare while
 * no probe of theirs is linked.
 */
export function defineModule<T extends object>(name: string, api: T): T {
  const sites = new ModuleSites('fn', name);
  const out: Record<PropertyKey, unknown> = {};
  for (const key of Reflect.ownKeys(api)) {
    const desc = Object.getOwnPropertyDescriptor(api, key)!;
    if ('value' in desc && typeof desc.value === 'function' && typeof key === 'string') {
      desc.value = instrumentFunction(sites, key, desc.value as AnyFunction);
    }
    Object.defineProperty(out, key, desc);
  }
  return out as T;
}

function kindOf(fn: AnyFunction): SiteKind {
  const tag = Object.prototype.toString.call(fn);
  if (tag === '[object GeneratorFunction]' || tag === '[object AsyncGeneratorFunction]') return SiteKind.Generator;
  return tag === '[object AsyncFunction]' ? SiteKind.Async : SiteKind.Plain;
}

function instrumentFunction(sites: ModuleSites, name: string, fn: AnyFunction): AnyFunction {
  const kind = kindOf(fn);
  const i = sites.add(name, kind);
  return wrapWithSite(sites, i, fn as (this: unknown, ...args: unknown[]) => unknown, kind === SiteKind.Async) as AnyFunction;
}

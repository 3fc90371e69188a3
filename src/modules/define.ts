import { ModuleSites, SiteKind, enter, fail, leave } from './sites.js';

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

/** The wrapper sees an async function's promise, so only generators differ from plain calls. */
function kindOf(fn: AnyFunction): SiteKind {
  const tag = Object.prototype.toString.call(fn);
  if (tag === '[object GeneratorFunction]' || tag === '[object AsyncGeneratorFunction]') return SiteKind.Generator;
  return SiteKind.Plain;
}

function instrumentFunction(sites: ModuleSites, name: string, fn: AnyFunction): AnyFunction {
  const i = sites.add(name, kindOf(fn));
  const state = sites.state;
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    if (state[i] === 0) return Reflect.apply(fn, this, args);
    const token = enter(sites, i, this, args);
    try {
      return leave(token, Reflect.apply(fn, this, args));
    } catch (error) {
      fail(token, error);
      throw error;
    }
  };
  for (const key of Reflect.ownKeys(fn)) {
    if (key === 'prototype') continue;
    Object.defineProperty(wrapped, key, Object.getOwnPropertyDescriptor(fn, key)!);
  }
  return wrapped as AnyFunction;
}

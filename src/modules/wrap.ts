import { enter, fail, leave, type ModuleSites } from './sites.js';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/**
 * A function that fires site `i`'s probes around `fn`, for code we cannot rewrite (a
 * `defineModule` API, a core module's export). It keeps `name`, `length` and own
 * properties; while no probe of the site is enabled it costs one load and compare.
 */
export function wrapWithSite(sites: ModuleSites, i: number, fn: AnyFunction): AnyFunction {
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
  return wrapped;
}

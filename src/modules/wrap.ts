import { internalWork } from '../core/index.js';
import { enter, type ModuleSites, type Token } from './sites.js';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/**
 * A function that fires site `i`'s probes around `fn`, for code we cannot rewrite (a
 * `defineModule` API, a core module's export). It keeps `name`, `length` and own
 * properties; while no probe of the site is enabled it costs one load and compare.
 * Calls microScope makes itself (its module hooks, a monitor run by a probe) fire nothing.
 * With `settles`, fn is an async function: its return and error fire when its promise settles,
 * and its vtime is its first segment's (the wrapper cannot see where its body resumes).
 */
export function wrapWithSite(sites: ModuleSites, i: number, fn: AnyFunction, settles = false): AnyFunction {
  const state = sites.state;
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    if (state[i] === 0 || internalWork.depth !== 0) return Reflect.apply(fn, this, args);
    internalWork.depth++;
    const token = enter(sites, i, this, args);
    internalWork.depth--;
    let value: unknown;
    try {
      value = Reflect.apply(fn, this, args);
    } catch (error) {
      internalWork.depth++;
      token.msx = error;
      internalWork.depth--;
      throw error;
    }
    if (settles && token !== sites.untracked) {
      token.mss = value;
      return settle(value as Promise<unknown>, token);
    }
    internalWork.depth++;
    token.msv = value;
    internalWork.depth--;
    return value;
  };
  for (const key of Reflect.ownKeys(fn)) {
    if (key === 'prototype') continue;
    Object.defineProperty(wrapped, key, Object.getOwnPropertyDescriptor(fn, key)!);
  }
  return wrapped;
}

/**
 * Awaits an async function's own (native) promise: no program `then` runs, and the caller
 * gets a promise that rejects, handled or not, exactly as the original would.
 */
async function settle(promise: Promise<unknown>, token: Token): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    internalWork.depth++;
    token.msx = error;
    internalWork.depth--;
    throw error;
  }
  internalWork.depth++;
  token.msv = value;
  internalWork.depth--;
  return value;
}

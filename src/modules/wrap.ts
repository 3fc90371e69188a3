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
  // Small, so that V8 inlines it into the caller whole: the traced call is a function of its own.
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    if (state[i] === 0 || internalWork.depth !== 0) return Reflect.apply(fn, this, args);
    return callTraced(sites, i, fn, this, args, settles);
  };
  for (const key of Reflect.ownKeys(fn)) {
    if (key === 'prototype') continue;
    Object.defineProperty(wrapped, key, Object.getOwnPropertyDescriptor(fn, key)!);
  }
  return wrapped;
}

/** A call of `fn` while a probe of site `i` is enabled: its entry, then its return, error or settling. */
function callTraced(sites: ModuleSites, i: number, fn: AnyFunction, thisArg: unknown, args: unknown[], settles: boolean): unknown {
  internalWork.depth++;
  const token = enter(sites, i, thisArg, args);
  internalWork.depth--;
  let value: unknown;
  try {
    value = Reflect.apply(fn, thisArg, args);
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

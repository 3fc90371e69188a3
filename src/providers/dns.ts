import type * as Dns from 'node:dns';
import { builtin, nowNs, type Probe } from '../core/index.js';
import type { DnsLookup } from './catalogue.js';
import { declare, emit, errorCode, HookGroup } from './hooks.js';
import { FunctionPatch, type AnyFunction } from './patch.js';

/**
 * `dns:FUNC:FORM:lookup-start|lookup-done`, FUNC one of `lookup` (getaddrinfo on the
 * threadpool), `resolve4`, `resolve6` (c-ares), FORM `callback` or `promise`. Node has no dns
 * channels, so the functions are wrapped while enabled, like fs, and a `Resolver`'s resolve4
 * and resolve6 with them. `net.connect` and the http client look `dns.lookup` up on the module
 * at call time, so their lookups are seen too.
 */
const FUNCS = ['lookup', 'resolve4', 'resolve6'] as const;
const FORMS = ['callback', 'promise'] as const;
type Form = (typeof FORMS)[number];

interface DnsSite {
  form: Form;
  start: Probe;
  done: Probe;
}

let registered = false;

export function registerDns(): void {
  if (registered) return;
  registered = true;
  for (const func of FUNCS) {
    for (const form of FORMS) {
      const target = (): Record<string, unknown> => {
        const dns = builtin<typeof Dns>('node:dns');
        return (form === 'promise' ? dns.promises : dns) as unknown as Record<string, unknown>;
      };
      const site: DnsSite = {
        form,
        start: declare('dns', func, form, 'lookup-start', 'dns_lookup_t'),
        done: declare('dns', func, form, 'lookup-done', 'dns_lookup_t'),
      };
      const wrap = (fn: AnyFunction): AnyFunction => (form === 'promise' ? wrapPromise(site, fn) : wrapCallback(site, fn));
      const patches = [new FunctionPatch(target, func, wrap)];
      // A Resolver's own methods (custom servers): the module's functions are copies bound at load, so neither is seen twice.
      if (func !== 'lookup') patches.push(new FunctionPatch(() => resolverPrototype(form), func, wrap));
      const group = new HookGroup(
        () => patches.forEach((p) => p.install()),
        () => patches.forEach((p) => p.uninstall()),
      );
      group.add(site.start);
      group.add(site.done);
    }
  }
}

function resolverPrototype(form: Form): Record<string, unknown> {
  const dns = builtin<typeof Dns>('node:dns');
  return (form === 'promise' ? dns.promises.Resolver : dns.Resolver).prototype as unknown as Record<string, unknown>;
}

function record(hostname: unknown, options: unknown): DnsLookup {
  let family = 0;
  if (typeof options === 'number') family = options;
  else if (options !== null && typeof options === 'object') {
    const f = (options as { family?: unknown }).family;
    family = f === 'IPv4' ? 4 : f === 'IPv6' ? 6 : typeof f === 'number' ? f : 0;
  }
  return { hostname: typeof hostname === 'string' ? hostname : '', family, addresses: [], latency_ns: 0, error: '' };
}

function begin(site: DnsSite, args: readonly unknown[]): number {
  if (site.start.enabled) emit(site.start, record(args[0], args[1]));
  return nowNs();
}

/** Results: lookup gives (address, family) or [{address, family}]; resolve4/6 give [address]. */
function end(site: DnsSite, args: readonly unknown[], t0: number, error: unknown, value: unknown, family: unknown): void {
  if (!site.done.enabled) return;
  const r = record(args[0], args[1]);
  r.latency_ns = nowNs() - t0;
  if (error !== null && error !== undefined) r.error = errorCode(error);
  else if (typeof value === 'string') r.addresses.push(value);
  else if (Array.isArray(value)) {
    for (const v of value) r.addresses.push(typeof v === 'string' ? v : String((v as { address?: unknown }).address));
  } else if (value !== null && typeof value === 'object') {
    r.addresses.push(String((value as { address?: unknown }).address));
    family = (value as { family?: unknown }).family;
  }
  if (typeof family === 'number') r.family = family;
  emit(site.done, r);
}

function wrapCallback(site: DnsSite, fn: AnyFunction): AnyFunction {
  return function (this: unknown, ...args: unknown[]): unknown {
    const last = args.length - 1;
    const cb = args[last];
    if (typeof cb !== 'function' || !(site.start.enabled || site.done.enabled)) return Reflect.apply(fn, this, args);
    const t0 = begin(site, args);
    args[last] = function (this: unknown, error: unknown, value: unknown, family: unknown): unknown {
      end(site, args, t0, error, value, family);
      // eslint-disable-next-line prefer-rest-params -- every callback argument, unchanged
      return Reflect.apply(cb as AnyFunction, this, arguments);
    };
    return Reflect.apply(fn, this, args);
  };
}

function wrapPromise(site: DnsSite, fn: AnyFunction): AnyFunction {
  return function (this: unknown, ...args: unknown[]): unknown {
    if (!(site.start.enabled || site.done.enabled)) return Reflect.apply(fn, this, args);
    const t0 = begin(site, args);
    return (Reflect.apply(fn, this, args) as Promise<unknown>).then(
      (value) => {
        end(site, args, t0, null, value, undefined);
        return value;
      },
      (error: unknown) => {
        end(site, args, t0, error, undefined, undefined);
        throw error;
      },
    );
  };
}

import { fireProvided, registry, type Probe, type ProbeArg } from '../core/index.js';
import { onToggle } from './hooks.js';

/**
 * User-defined static probes. DTrace names a USDT probe `PROVIDER<pid>:module:function:name`
 * with the library's own provider name; here the provider field is always `usdt` (so a
 * library cannot shadow `http` or `fs`), the module field is the library's provider name
 * and the function field is optional: `probe('myapp', 'query-start')` is
 * `usdt:myapp::query-start`.
 */
const USDT_ARGS: readonly ProbeArg[] = Object.freeze([{ name: 'args[0]', type: 'unknown' }]);

export class UsdtProbe {
  /** A plain field: a disabled probe costs the library one property load. */
  enabled = false;

  constructor(readonly probe: Probe) {
    onToggle(probe, (on) => {
      this.enabled = on;
    });
  }

  /** Fires with `record` as `args[0]`; callers test `enabled` first to skip building the record. */
  fire(record?: unknown): void {
    if (this.enabled) fireProvided(this.probe, [record], 0, -1);
  }
}

const cache = new Map<Probe, UsdtProbe>();

export function probe(provider: string, name: string, func = ''): UsdtProbe {
  const p = registry.register('usdt', provider, func, name, USDT_ARGS);
  let u = cache.get(p);
  if (u === undefined) {
    u = new UsdtProbe(p);
    cache.set(p, u);
  }
  return u;
}

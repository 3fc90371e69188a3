import { fireProvided, registry, type Probe } from '../core/index.js';
import { recordArgs, type RecordType } from './catalogue.js';

/**
 * Node hooks shared by a group of probes: installed when the first probe of the group is
 * enabled, removed when the last is disabled, so a disabled provider subscribes to nothing.
 */
export class HookGroup {
  private count = 0;

  constructor(
    private readonly install: () => void,
    private readonly uninstall: () => void,
  ) {}

  get installed(): boolean {
    return this.count > 0;
  }

  add(probe: Probe): Probe {
    onToggle(probe, (on) => {
      if (on) {
        if (this.count++ === 0) this.install();
      } else if (--this.count === 0) this.uninstall();
    });
    return probe;
  }
}

/** Adds a probe toggle callback; a probe already enabled when registered toggles at once. */
export function onToggle(probe: Probe, fn: (enabled: boolean) => void): void {
  probe.onToggle((_p, on) => fn(on));
  if (probe.enabled) fn(true);
}

/** Registers a stable provider probe whose `args[0]` is a record of `type`. */
export function declare(provider: string, module: string, func: string, name: string, type: RecordType): Probe {
  return registry.register(provider, module, func, name, recordArgs(type));
}

/** Fires `probe` with `record` as `args[0]`; `ts` (ns, core clock) overrides the lazy timestamp. */
export function emit(probe: Probe, record: object, ts = 0): void {
  fireProvided(probe, [record], ts, -1);
}

/** The `code` of a Node error (`ENOENT`), else its name. */
export function errorCode(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    const e = error as { code?: unknown; name?: unknown };
    if (typeof e.code === 'string') return e.code;
    if (typeof e.name === 'string') return e.name;
  }
  return 'Error';
}

import { link } from '../../src/weaver/index.js';
import type { ProbeEvent } from '../../src/core/index.js';

/** Every fn event of `module` as `FUNC:NAME:DETAIL` (arguments, return value or error), until unlinked. */
export function record(module: string): { events: string[]; unlink: () => void } {
  const events: string[] = [];
  const h = link(`fn:${module}::`, (ev: ProbeEvent) => {
    const detail =
      ev.probe.name === 'return' ? String(ev.retval) : ev.probe.name === 'error' ? String(ev.error) : ev.args.map(String).join(',');
    events.push(`${ev.probe.func}:${ev.probe.name}:${detail}`);
  });
  return { events, unlink: () => h.unlink() };
}

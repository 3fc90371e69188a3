import dc from 'node:diagnostics_channel';
import { compileGlob, fireProvided, isGlob, registry, type Probe, type ProbeDescription } from '../core/index.js';
import { MESSAGE_ARGS } from './catalogue.js';
import { BUILTIN_CHANNELS, channelPresent } from './dc-channels.js';
import { onToggle } from './hooks.js';

/**
 * Any diagnostics_channel channel as a probe: `dc:channel:NAME:publish` for a plain channel,
 * `dc:tracing:NAME:start|end|asyncStart|asyncEnd|error` for the five channels of a
 * TracingChannel (`tracing:NAME:EVENT`). Names contain `:` and `.`, so a description quotes
 * them: `dc::"undici:request:create":`. `args[0]` is the published message, `args[1]` the
 * channel name. A probe subscribes to its channel while enabled and unsubscribes after.
 */
export const TRACING_EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const;

let registered = false;

/** Registers the built-in channels this Node version publishes, so `mscope list` shows them. */
export function registerDc(): void {
  if (registered) return;
  registered = true;
  for (const c of BUILTIN_CHANNELS) {
    if (!channelPresent(c, process.versions.node)) continue;
    if (c.tracing) for (const ev of TRACING_EVENTS) tracingProbe(c.name, ev);
    else channelProbe(c.name);
  }
}

export function channelProbe(name: string): Probe {
  return dcProbe('channel', name, 'publish', name);
}

export function tracingProbe(name: string, event: (typeof TRACING_EVENTS)[number]): Probe {
  return dcProbe('tracing', name, event, `tracing:${name}:${event}`);
}

function dcProbe(module: string, name: string, event: string, channelName: string): Probe {
  const existing = registry.lookup('dc', module, name, event);
  if (existing !== undefined) return existing;
  const probe = registry.register('dc', module, name, event, MESSAGE_ARGS);
  const subscriber = (message: unknown, channel: string | symbol): void => {
    if (probe.enabled) fireProvided(probe, [message, channel], 0, -1);
  };
  onToggle(probe, (on) => (on ? dc.subscribe(channelName, subscriber) : dc.unsubscribe(channelName, subscriber)));
  return probe;
}

/**
 * Creates the `dc` probes a description names but that do not exist yet (channels are
 * open-ended). The function field must be a literal channel name. Tracing probes are
 * created only when the module (`tracing`) or the event name is given, so that
 * `dc::"undici:request:create":` makes one probe, not six.
 */
export function ensureDcProbes(d: ProbeDescription): Probe[] {
  if (!compileGlob(d.provider)('dc') || d.func === '' || isGlob(d.func)) return [];
  const out: Probe[] = [];
  const module = compileGlob(d.module);
  const name = compileGlob(d.name);
  if (module('channel') && name('publish')) out.push(channelProbe(d.func));
  const explicit = (d.module !== '' && d.module !== '*') || (d.name !== '' && d.name !== '*');
  if (explicit && module('tracing')) {
    for (const ev of TRACING_EVENTS) if (name(ev)) out.push(tracingProbe(d.func, ev));
  }
  return out;
}

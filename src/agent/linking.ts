/**
 * What an agent that links probes loads, in one import (each `import()` is a file of lib/ that a
 * traced process reads and compiles): the providers, the core modules' probes, and the weaver's
 * index, which registers the shm and message bindings that any monitor kind may link with, and
 * the control socket's offer. The load-time rewrite comes beside it (agent/instrumentation.ts),
 * except in an attached process, which never installs it.
 */
import '../weaver/index.js';
import { link } from '../weaver/link.js';
import { flushFaults, onFault } from '../weaver/faults.js';
import { registry } from '../core/registry.js';
import type { AgentWeaver } from './types.js';

export { registerProviders } from '../providers/index.js';
export { nodeProbeFactory, registerAllCoreModules } from '../modules/core-modules.js';
export { offerControlServer } from '../weaver/control.js';

/** What the agent's monitors link with. */
export const agentWeaver: AgentWeaver = {
  link,
  onFault,
  flushFaults,
  probeRows: () => registry.list().map((p) => [p.id, p.provider, p.module, p.func, p.name]),
  skipped: () => [...registry.skipped()],
};

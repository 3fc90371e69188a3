import { importPendingLoaders, installInstrumentation, type Installation } from '../modules/install.js';
import type { AgentOptions } from './protocol.js';
import { registry } from '../core/index.js';

/**
 * Installs brownfield instrumentation for this process. A TypeScript loader given on the
 * command line (tsx) is imported first so that its hooks sit inside ours.
 */
export async function installAgentInstrumentation(options: AgentOptions): Promise<Installation> {
  await importPendingLoaders();
  return installInstrumentation({
    root: options.root,
    explain: options.skipped === true,
    // Monitors are linked before this runs: when none can enable a return or error probe,
    // functions get only their entry prologue (exact banners and columns, deeper recursion).
    exits: options.list === true || registry.isArmedForName('fn', 'return') || registry.isArmedForName('fn', 'error'),
    ...(options.modules !== undefined && options.modules.length > 0 ? { modules: [...options.modules] } : {}),
  });
}

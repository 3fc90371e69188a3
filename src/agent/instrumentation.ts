import { importPendingLoaders, installInstrumentation } from '../modules/install.js';
import type { AgentOptions } from './protocol.js';

/**
 * Installs brownfield instrumentation for this process. A TypeScript loader given on the
 * command line (tsx) is imported first so that its hooks sit inside ours.
 */
export async function installAgentInstrumentation(options: AgentOptions): Promise<void> {
  await importPendingLoaders();
  installInstrumentation({
    root: options.root,
    explain: options.skipped === true,
    ...(options.modules !== undefined && options.modules.length > 0 ? { modules: [...options.modules] } : {}),
  });
}

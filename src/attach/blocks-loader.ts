import { addLoader } from '../agent/loaders.js';

/**
 * Lets the agent load `mscope blocks`' monitor kind, which lives here (it live-edits like the
 * splicer): called by the preload under mscope run and by an attach, before the agent starts.
 */
export function registerBlocksLoader(): void {
  addLoader('blocks', async (s) => (await import('./blocks-monitor.js')).BlocksMonitor.load(s.spec));
}

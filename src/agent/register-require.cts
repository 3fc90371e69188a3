// `node --require microscope/register`: the standalone preload of register.ts, for programs
// started with --require. Synchronous (Node's require of ES modules, 20.19+ and 22.12+), so that
// the rewrite is in place before the main module loads.
import { ENV_SESSION } from './protocol.js';
import { acceptAttach, hasWork, readPreloadEnv, serveControl } from './preload.js';
import { preloadWarning, readAgentEnv } from './agent-env.js';

try {
  if (process.env[ENV_SESSION]) {
    const env = readAgentEnv(process.env);
    if (env !== null) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const launch = require('./launch.js') as typeof import('./launch.js');
      // Only an agent that links needs the blocks loader: as register.ts, required then.
      const blocks = async (): Promise<void> =>
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require('../attach/blocks-loader.js') as typeof import('../attach/blocks-loader.js')).registerBlocksLoader();
      launch.startAgent(env, blocks).catch(report);
    }
  } else {
    const plan = readPreloadEnv(process.env);
    if (plan !== null) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const control = require('../weaver/control.js') as typeof import('../weaver/control.js');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      void serveControl(control, require('node:net') as typeof import('node:net'));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      acceptAttach(control, async () => require('../attach/target.js') as typeof import('../attach/target.js'));
      if (hasWork(plan)) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const standalone = require('../consumer/standalone.js') as typeof import('../consumer/standalone.js');
        standalone.startStandalone(plan).catch(report);
      }
    }
  }
} catch (error) {
  report(error);
}

function report(error: unknown): void {
  preloadWarning(`agent: ${error instanceof Error ? error.message : String(error)}`);
}

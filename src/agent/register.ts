import { ENV_SESSION } from './protocol.js';
import { acceptAttach, hasWork, importControl, readPreloadEnv, serveControl } from './preload.js';
import { agentFailure, preloadWarning, readAgentEnv } from './agent-env.js';
import { keepMainModuleIdentity } from './main-module.js';

// `node --import microscope/register`. Under mscope (which puts it in NODE_OPTIONS, so every
// Node process and worker CMD starts runs it) it starts the agent that reports to mscope; on its
// own, the standalone preload. Each part is imported only when needed: a process given nothing
// to do loads this file, the control server and nothing else.
try {
  if (process.env[ENV_SESSION]) {
    // A monitor host thread (mscope's own) skips the agent without loading it.
    const env = readAgentEnv(process.env);
    // Imported here: the standalone preload below never loads it.
    if (env !== null) {
      keepMainModuleIdentity();
      await (await import('./launch.js')).startAgent(env, async () => (await import('../attach/blocks-loader.js')).registerBlocksLoader());
    }
  } else {
    const plan = readPreloadEnv(process.env);
    if (plan !== null) {
      // Awaited: the socket's listeners are in place before the main module runs.
      const control = await importControl();
      await serveControl(control);
      acceptAttach(control, () => import('../attach/target.js'));
      if (hasWork(plan)) {
        // A TypeScript loader later on the command line must sit inside the rewrite's hooks.
        await (await import('../modules/install.js')).importPendingLoaders();
        await (await import('../consumer/standalone.js')).startStandalone(plan);
      }
    }
  }
} catch (error) {
  preloadWarning(agentFailure(error));
}

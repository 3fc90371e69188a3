import type { AgentEnv } from './agent-env.js';
import { readMonitorsFile } from './monitors-file.js';
import { linksNothing } from './protocol.js';
import { withLightAgent } from './node-options.js';

/**
 * Starts the agent of this process from what mscope put in its environment, once mscope has
 * written the monitors (a held CMD waits here, before any of its program runs). An agent that
 * links nothing imports only what reports to mscope, and hands the processes it starts the light
 * `--require` preload; one that links imports the rest (`prepare`: what its entry point adds
 * first, such as attach's monitor kind, which agent/ may not import). Monitors are loaded before the
 * instrumentation is installed so that monitor files are not instrumented.
 */
export async function startAgent(env: AgentEnv, prepare: () => Promise<void>): Promise<void> {
  const specs = env.monitorsFile === undefined ? [] : await readMonitorsFile(env.monitorsFile, env.consumerPid);
  const config = { session: env.session, specs, options: env.options };
  if (linksNothing(env.options, specs)) {
    if (process.env.NODE_OPTIONS !== undefined) process.env.NODE_OPTIONS = withLightAgent(process.env.NODE_OPTIONS);
    (await import('./consumer-only.js')).runConsumerOnlyAgent(config);
    return;
  }
  const [{ runAgent }] = await Promise.all([import('./start.js'), prepare()]);
  await runAgent(config, false);
}

import { agentFailure, preloadWarning, readAgentEnv } from './agent-env.js';
import { readWrittenMonitors } from './monitors-file.js';
import { runConsumerOnlyAgent } from './consumer-only.js';
import { linksNothing } from './protocol.js';

// `--require` preload of the processes started in a session whose monitors all run in mscope
// (agent/launch.ts puts it in NODE_OPTIONS once it knows, in place of the `--import`). The build
// bundles it into one CommonJS file, lib/agent/register-light.cjs: a CommonJS program then never
// starts Node's ES module loader, and loads one file of ours.
try {
  const env = readAgentEnv(process.env);
  if (env !== null) {
    const specs = env.monitorsFile === undefined ? [] : readWrittenMonitors(env.monitorsFile);
    if (linksNothing(env.options, specs)) runConsumerOnlyAgent({ session: env.session, specs, options: env.options });
    else preloadWarning('agent: the light preload was given monitors that link; nothing is traced in this process');
  }
} catch (error) {
  preloadWarning(agentFailure(error));
}

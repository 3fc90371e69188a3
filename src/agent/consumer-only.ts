import type { AgentConfig } from './types.js';
import { CONSUMER_ONLY } from './agent.js';
import { startReporting } from './reporter.js';

/**
 * The agent of a process that links nothing: it reports to mscope (hello, signals, its final
 * report) and loads neither the weaver nor the registry nor a provider.
 */
export function runConsumerOnlyAgent(config: AgentConfig): void {
  const { agent } = startReporting(config.session, config.options);
  for (const spec of config.specs) agent.add(spec.name, CONSUMER_ONLY);
  agent.flush();
}

import { isMainThread } from 'node:worker_threads';
import type { AgentMessage, AgentOptions, MonitorSpec } from './protocol.js';
import type { AgentConfig } from './types.js';
import { loadMonitor, preloadMonitorKinds } from './loaders.js';
import { startReporting } from './reporter.js';
// Not core's index: only the registry.
import { registry } from '../core/registry.js';
import { installThreadIdView } from '../core/thread-ids.js';

/**
 * The load-time rewrite serves `fn` probes; its CommonJS loader also keeps module loading out
 * of what `fs`, `node` and accounting report. A program traced by other providers alone runs
 * its own unchanged code (and starts faster).
 */
const REWRITE_PROVIDERS = ['fn', 'fs', 'node', 'acct'];

/** Whether what is linked so far could match a probe that only the rewrite serves. */
export function armedForRewrite(): boolean {
  return REWRITE_PROVIDERS.some((p) => registry.isArmedFor(p));
}

function needsRewrite(options: AgentOptions, specs: readonly MonitorSpec[]): boolean {
  if (specs.some((s) => s.kind === 'acct')) return true;
  return options.list === true || (options.modules?.length ?? 0) > 0 || armedForRewrite();
}

/** An agent started by attach, which a detach stops. */
export interface RunningAgent {
  /** Sends `message` to mscope at once. */
  report(message: AgentMessage): void;
  /** Final reports sent, every link undone, every listener and timer of ours removed. */
  stop(): void;
  /** Probes each linked description matches now, by its text. */
  matched(): Record<string, number>;
}

/**
 * What an agent that links imports before its monitors load (each `import()` is a file of lib/
 * to read and compile). Attached, the load-time rewrite is never installed (what runs is
 * compiled already): its hooks are not loaded either.
 */
function linkingModules(attached: boolean) {
  return Promise.all([import('./linking.js'), attached ? null : import('./instrumentation.js')]);
}

/**
 * Loads what `runAgent` will import for monitors of `kinds`, without running any of it: an
 * agent injected into a running process does it while mscope is still compiling its program.
 */
export async function preloadAttachedAgent(kinds: readonly string[]): Promise<void> {
  await Promise.all([linkingModules(true), preloadMonitorKinds(kinds)]);
}

/**
 * Runs the agent for `config`. `attached`: mscope attached to this running process, so the
 * load-time rewrite is not installed (what is loaded is compiled already) and everything the
 * agent adds is removed again by `stop()`; the caller serves the control socket.
 */
export async function runAgent(config: AgentConfig, attached: boolean): Promise<RunningAgent> {
  const { options, specs } = config;
  // Before anything reads this thread's id (the report's file name, events' tid); an attached agent leaves ids as they are.
  if (!attached) installThreadIdView();
  const { agent, channel, stop } = startReporting(config.session, options);
  // A process whose monitors all run in mscope alone has no probe to offer: it loads no provider.
  const linking = options.list === true || specs.some((s) => s.consumerOnly !== true);
  // The rewrite's modules load before any monitor links: an fs or acct probe would count their reads.
  let linked: typeof import('./linking.js') | null = null;
  let rewrite: typeof import('./instrumentation.js') | null = null;
  if (linking) {
    [linked, rewrite] = await linkingModules(attached);
    agent.useWeaver(linked.agentWeaver);
    linked.registerProviders();
    // Core modules are wrapped, never rewritten: their probes do not need the rewrite.
    registry.addFactory(linked.nodeProbeFactory);
    if (options.list === true) linked.registerAllCoreModules();
    // The socket serves `mscope links` and `relink`, which have nothing to act on without a link;
    // it starts when one of them first asks (node:net's listen loads about 20 of Node's own modules).
    if (options.list !== true && isMainThread && !attached)
      linked.offerControlServer((error: unknown) =>
        agent.fault('control', error, 'the control socket (mscope links/relink) failed to start'),
      );
  }
  for (const spec of specs) {
    try {
      agent.add(spec.name, await loadMonitor(spec));
    } catch (error) {
      agent.fault(spec.name, error, `monitor ${spec.name} failed to load`);
    }
  }
  try {
    if (!attached && needsRewrite(options, specs)) {
      const installed = await (rewrite ?? (await import('./instrumentation.js'))).installAgentInstrumentation(options);
      if (installed.coverage)
        channel.send({
          t: 'warn',
          once: true,
          text: 'mscope: processes collecting V8 coverage (NODE_V8_COVERAGE, --experimental-test-coverage) are not rewritten, so that their coverage stays true: fn probes do not fire in them\n',
        });
      if (installed.exposed.length > 0)
        channel.send({
          t: 'warn',
          once: true,
          text: `mscope: intrinsics are frozen (--frozen-intrinsics): fn probes fire, but the rewrite shows in rewritten functions' ${installed.exposed.join(' and ')}\n`,
        });
    }
  } catch (error) {
    agent.fault('instrumentation', error, 'instrumentation failed to install');
  }
  agent.flush();
  return {
    report: (message) => {
      channel.send(message);
      channel.flush();
    },
    matched: () => agent.matched(),
    stop,
  };
}

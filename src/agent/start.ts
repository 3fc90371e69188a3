import { join } from 'node:path';
import { isMainThread, threadId, workerData } from 'node:worker_threads';
import { ENV_MONITORS_FILE, ENV_OPTIONS, ENV_SESSION, type AgentMessage, type AgentOptions, type MonitorSpec } from './protocol.js';
import { Agent } from './agent.js';
import { AgentChannel } from './channel.js';
import { loadMonitor, preloadMonitorKinds } from './loaders.js';
import { flushOnTerminatingSignals } from './signals.js';
import { readMonitorsFile } from './monitors-file.js';
import { ENV_CONSUMER_PID } from '../core/consumer-env.js';
// Not core's index: an agent whose monitors all run in mscope loads as few modules as it can.
import { INTERNAL_THREAD_ENV } from '../core/threads.js';
import { registry } from '../core/registry.js';

const FLUSH_INTERVAL_MS = 50;

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

/** What an agent reports to and runs: from mscope's environment, or from an attach request. */
export interface AgentConfig {
  /** The session directory mscope reads. */
  readonly session: string;
  readonly specs: readonly MonitorSpec[];
  readonly options: AgentOptions;
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
 * esbuild's service worker (the first uncached transform of a program run by tsx starts it on
 * Node 22 and newer) runs esbuild's own lib/main.js, no program code: there is nothing to trace.
 * An agent there once loaded a TypeScript monitor through tsx, and with it esbuild, before that
 * script ran, and the traced program's main thread waited for its transform forever.
 */
function isEsbuildServiceWorker(): boolean {
  return !isMainThread && typeof (workerData as { esbuildVersion?: unknown } | null)?.esbuildVersion === 'string';
}

/**
 * Starts the agent of this process from what `mscope` put in the environment. Monitors are
 * loaded before the instrumentation is installed so that monitor files are not instrumented.
 */
export async function startAgent(env: NodeJS.ProcessEnv): Promise<void> {
  const session = env[ENV_SESSION];
  if (session === undefined || session === '' || env[INTERNAL_THREAD_ENV] === '1' || isEsbuildServiceWorker()) return;
  const options = JSON.parse(env[ENV_OPTIONS] ?? '{}') as AgentOptions;
  const monitorsFile = env[ENV_MONITORS_FILE];
  const specs = monitorsFile === undefined ? [] : await readMonitorsFile(monitorsFile, Number(env[ENV_CONSUMER_PID] ?? 0));
  await runAgent({ session, specs, options }, false);
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
  // A worker thread reports on its own channel; mscope merges its aggregations like a process's.
  const channel = new AgentChannel(join(config.session, `${process.pid}${isMainThread ? '' : `-${threadId}`}.ndjson`));
  const agent = new Agent(channel, options);
  agent.hello();
  const finish = (): void => agent.finish();
  process.on('exit', finish);
  const stopSignals = isMainThread
    ? flushOnTerminatingSignals(
        (signal) => agent.signalled(signal),
        () => agent.finish(),
      )
    : () => {};
  const flusher = setInterval(() => agent.flush(), FLUSH_INTERVAL_MS).unref();
  // A process whose monitors all run in mscope alone has no probe to offer: it loads no provider.
  const linking = options.list === true || specs.some((s) => s.consumerOnly !== true);
  // The rewrite's modules load before any monitor links: an fs or acct probe would count their reads.
  let linked: typeof import('./linking.js') | null = null;
  let rewrite: typeof import('./instrumentation.js') | null = null;
  if (linking) {
    [linked, rewrite] = await linkingModules(attached);
    linked.registerProviders();
    // Core modules are wrapped, never rewritten: their probes do not need the rewrite.
    registry.addFactory(linked.nodeProbeFactory);
    if (options.list === true) linked.registerAllCoreModules();
    // The socket serves `mscope links` and `relink`, which have nothing to act on without a link;
    // node:net's listen also loads cluster and child_process (about 20 of Node's own modules).
    if (options.list !== true && isMainThread && !attached)
      linked
        .startControlServer()
        .catch((error: unknown) => agent.fault('control', error, 'the control socket (mscope links/relink) failed to start'));
  }
  for (const spec of specs) {
    try {
      agent.add(spec.name, await loadMonitor(spec));
    } catch (error) {
      agent.fault(spec.name, error, `monitor ${spec.name} failed to load`);
    }
  }
  try {
    if (!attached && needsRewrite(options, specs))
      await (rewrite ?? (await import('./instrumentation.js'))).installAgentInstrumentation(options);
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
    stop: () => {
      agent.finish();
      clearInterval(flusher);
      process.removeListener('exit', finish);
      stopSignals();
      channel.close();
    },
  };
}

import { isMainThread, workerData } from 'node:worker_threads';
import { ENV_MONITORS_FILE, ENV_OPTIONS, ENV_SESSION, type AgentOptions } from './protocol.js';
import { ENV_CONSUMER_PID } from '../core/consumer-env.js';
// Not core's index: an agent whose monitors all run in mscope loads as few modules as it can.
import { INTERNAL_THREAD_ENV } from '../core/threads.js';
import { permissionDenial } from '../core/errors.js';

/** What mscope put in a traced process's environment for its agent. */
export interface AgentEnv {
  readonly session: string;
  readonly options: AgentOptions;
  /** Absent: no monitors. */
  readonly monitorsFile: string | undefined;
  /** The mscope that may still hold this process (0: none). */
  readonly consumerPid: number;
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

/** The agent's part of `env`, or null where no agent runs: no session, microScope's own threads, esbuild's worker. */
export function readAgentEnv(env: NodeJS.ProcessEnv): AgentEnv | null {
  const session = env[ENV_SESSION];
  if (session === undefined || session === '' || env[INTERNAL_THREAD_ENV] === '1' || isEsbuildServiceWorker()) return null;
  return {
    session,
    options: JSON.parse(env[ENV_OPTIONS] ?? '{}') as AgentOptions,
    monitorsFile: env[ENV_MONITORS_FILE],
    consumerPid: Number(env[ENV_CONSUMER_PID] ?? 0),
  };
}

/** Why the agent could not start, in one line. */
export function agentFailure(error: unknown): string {
  // Under Node's permission model the agent may not write its report: nothing of this process reaches mscope.
  const denial = permissionDenial(error);
  if (denial !== null) return `agent: ${denial}: nothing is traced in process ${process.pid}`;
  return `agent: ${error instanceof Error ? error.message : String(error)}`;
}

/** A preload's one line on stderr: the program runs on, untraced where the agent failed. */
export function preloadWarning(text: string): void {
  process.stderr.write(`mscope: ${text}\n`);
}

import { readFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { preloadWarning } from './agent-env.js';

/**
 * What `node --import microscope/register` (or `--require`) is asked to do without mscope,
 * from the environment. Light on purpose: a process given nothing loads only this and the
 * control server, never the D compiler, the providers or the load-time rewrite.
 */
export interface PreloadPlan {
  /** The D program: MSCOPE_PROGRAM_FILE's text, then MSCOPE_PROGRAM's, as `-s` and `-e` concatenate. */
  readonly sources: Array<{ file: string; text: string }>;
  /** MSCOPE_OUTPUT: the file the program's output is appended to; stderr when unset. */
  readonly output?: string;
  /** MSCOPE_PROM: serve accounting records as Prometheus metrics on 127.0.0.1:PORT. */
  readonly promPort?: number;
}

export const ENV_PROGRAM = 'MSCOPE_PROGRAM';
export const ENV_PROGRAM_FILE = 'MSCOPE_PROGRAM_FILE';
export const ENV_OUTPUT = 'MSCOPE_OUTPUT';
export const ENV_PROM = 'MSCOPE_PROM';

/** The plan, or null for a thread or process that has nothing to do (worker threads trace nothing on their own). */
export function readPreloadEnv(env: NodeJS.ProcessEnv): PreloadPlan | null {
  if (!isMainThread) return null;
  const sources: Array<{ file: string; text: string }> = [];
  const file = env[ENV_PROGRAM_FILE];
  if (file) sources.push({ file, text: readFileSync(file, 'utf8') });
  const text = env[ENV_PROGRAM];
  if (text) sources.push({ file: ENV_PROGRAM, text });
  const prom = env[ENV_PROM];
  let promPort: number | undefined;
  if (prom) {
    promPort = Number(prom);
    if (!Number.isInteger(promPort) || promPort < 0 || promPort > 65535)
      throw new Error(`${ENV_PROM} expects a port number, got "${prom}"`);
  }
  return { sources, ...(env[ENV_OUTPUT] ? { output: env[ENV_OUTPUT] } : {}), ...(promPort === undefined ? {} : { promPort }) };
}

export function hasWork(plan: PreloadPlan): boolean {
  return plan.sources.length > 0 || plan.promPort !== undefined;
}

/**
 * The control module (node:net, node:os) is imported only by a process that serves the socket:
 * an agent whose monitors all run in mscope never does (start.ts).
 */
export function importControl(): Promise<typeof import('../weaver/control.js')> {
  return import('../weaver/control.js');
}

type ControlModule = Awaited<ReturnType<typeof importControl>>;

/**
 * The control socket, for `mscope links PID` and `mscope relink`; unref'd, it never keeps the
 * process alive. The entry points have it listening before the main module runs (the ES one
 * awaits this, the CommonJS one passes node:net, which binds it at once): `mscope links PID` as
 * soon as the program runs found no socket now and then, and said the process was not traced.
 */
export function serveControl(control: ControlModule, net?: import('../weaver/control.js').NetModule): Promise<void> {
  return control.startControlServer(undefined, net).then(
    () => {},
    (error: unknown) => preloadWarning(`the control socket failed to start: ${String(error)}`),
  );
}

/** What attach/target.ts exports: the preload cannot import that layer, its entry points pass it in. */
export interface AttachModule {
  attach(request: unknown, inspectorClosed: Promise<void> | null): Promise<unknown>;
}

/**
 * `mscope attach PID` of a process started with the preload: served on its control socket, so
 * the inspector is never opened. The agent is loaded at the first request, not before.
 */
export function acceptAttach(control: ControlModule, load: () => Promise<AttachModule>): void {
  control.serveControlOp('attach', async (request) => {
    try {
      return { ok: true, result: await (await load()).attach(request, null) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  });
}

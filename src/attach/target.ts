import fs from 'node:fs';
import inspector from 'node:inspector';
import type { AgentOptions, MonitorSpec } from '../agent/protocol.js';
import { runAgent, type RunningAgent } from '../agent/start.js';
import { restoreCoreModules } from '../modules/core-modules.js';
import { setTargetPid } from '../lang/runtime/target.js';
import { Splicer } from './splicer.js';
import { registerBlocksLoader } from './blocks-loader.js';
import { controlServerRunning, serveControlOp, serveProbeMechanisms, startControlServer, stopControlServer } from '../weaver/index.js';
import { processAlive } from '../core/process-alive.js';

// Taken at load: the fs provider must not see the agent reading its monitors.
const { readFileSync } = fs;

/**
 * What runs inside a process mscope attaches to: through the inspector (an unmodified
 * process; attach/bootstrap.cjs imports this file) or through the control socket of a
 * process started with the preload. Starts the agent as `mscope run` would, serves
 * `detach` on the control socket, and undoes everything it added when detached.
 */

/** What mscope sends: where to report, the monitors (a file in its session), the options. */
export interface AttachRequest {
  readonly session: string;
  readonly monitorsFile: string;
  readonly options: AgentOptions;
  /** mscope's pid: if it dies without detaching, the agent detaches by itself. */
  readonly consumer: number;
}

/** What the agent answers once its control socket is up. */
export interface AttachAnswer {
  readonly pid: number;
  /** The control socket detach goes to. */
  readonly control: string;
  readonly node: string;
}

/** How often the agent checks that the mscope it reports to still exists. */
const CONSUMER_CHECK_MS = 1000;

let current: {
  readonly agent: RunningAgent;
  readonly ownServer: boolean;
  readonly watch: NodeJS.Timeout;
  readonly splicer: Splicer;
} | null = null;

/** The splicer of the current attach, for `mscope links` and the bench. */
export function currentSplicer(): Splicer | null {
  return current?.splicer ?? null;
}

/**
 * Starts the agent for `raw` (checked here: it crossed a process boundary) and tells mscope
 * in the session. `throughInspector`: the inspector mscope opened stays open until mscope,
 * its session gone, asks for `close-inspector`: closing it while a session may still be
 * connected can crash Node (nodejs/node#18761; seen here as SIGSEGV on a second attach).
 */
export async function attach(raw: unknown, throughInspector: boolean): Promise<AttachAnswer> {
  const request = checkRequest(raw);
  // Served before the agent says it is attached, which is when mscope asks.
  if (throughInspector) {
    openedInspector = true;
    serveControlOp('close-inspector', () => {
      serveControlOp('close-inspector', null);
      closeOurInspector();
      return Promise.resolve({ ok: true });
    });
  }
  try {
    return await start(request);
  } catch (error) {
    // mscope closes the inspector itself when the session reports the failure.
    openedInspector = false;
    serveControlOp('close-inspector', null);
    throw error;
  }
}

/** Whether this agent came in through an inspector that mscope opened and that is not closed yet. */
let openedInspector = false;

function closeOurInspector(): void {
  if (!openedInspector) return;
  openedInspector = false;
  // After this request's answer is written: inspector.close() blocks while a session is connected.
  setImmediate(() => {
    if (inspector.url() !== undefined) inspector.close();
  });
}

async function start(request: AttachRequest): Promise<AttachAnswer> {
  if (current !== null) throw new Error('another mscope is attached to this process');
  const specs = JSON.parse(readFileSync(request.monitorsFile, 'utf8')) as MonitorSpec[];
  const ownServer = !controlServerRunning();
  // `$target` in the process is the process itself, as `dtrace -p` has it.
  setTargetPid(process.pid);
  registerBlocksLoader();
  const agent = await runAgent({ session: request.session, specs, options: request.options }, true);
  const watch = setInterval(() => {
    if (!processAlive(request.consumer)) detach();
  }, CONSUMER_CHECK_MS).unref();
  const splicer = new Splicer({ root: request.options.root, modules: request.options.modules }, (text) =>
    agent.report({ t: 'warn', text: `mscope: ${text}\n` }),
  );
  current = { agent, ownServer, watch, splicer };
  let control: string;
  try {
    splicer.start();
    control = await startControlServer();
  } catch (error) {
    detach();
    throw error;
  }
  serveProbeMechanisms(() => splicer.describe());
  serveControlOp('detach', () => {
    detach();
    return Promise.resolve({ ok: true });
  });
  agent.report({ t: 'attached', control, node: process.version, matched: agent.matched() });
  return { pid: process.pid, control, node: process.version };
}

/** Undoes the attach: final reports, links and provider hooks removed, core functions restored, our socket closed. */
export function detach(): void {
  const c = current;
  if (c === null) return;
  current = null;
  clearInterval(c.watch);
  serveControlOp('detach', null);
  serveControlOp('close-inspector', null);
  // mscope gone before it asked: nothing of ours stays listening.
  closeOurInspector();
  serveProbeMechanisms(null);
  c.agent.stop();
  c.splicer.stop();
  restoreCoreModules();
  if (c.ownServer) stopControlServer();
}

function checkRequest(raw: unknown): AttachRequest {
  const r = raw as Partial<AttachRequest> | null;
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.session !== 'string' ||
    typeof r.monitorsFile !== 'string' ||
    typeof r.consumer !== 'number' ||
    typeof r.options !== 'object' ||
    r.options === null ||
    typeof r.options.root !== 'string'
  )
    throw new Error('malformed attach request');
  return { session: r.session, monitorsFile: r.monitorsFile, options: r.options, consumer: r.consumer };
}

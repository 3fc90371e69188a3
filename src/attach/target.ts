import fs from 'node:fs';
import type { AgentOptions, MonitorSpec } from '../agent/protocol.js';
import { preloadAttachedAgent, runAgent, type RunningAgent } from '../agent/start.js';
import { monitorsAppear } from '../agent/monitors-file.js';
import { restoreCoreModules } from '../modules/core-modules.js';
import { setTargetPid } from '../core/target-pid.js';
import { Splicer } from './splicer.js';
import { registerBlocksLoader } from './blocks-loader.js';
import { controlServerRunning, serveControlOp, serveProbeMechanisms, startControlServer, stopControlServer } from '../weaver/index.js';
import { processAlive } from '../core/process-alive.js';
// What the agent imports to link a D program (agent/linking.ts, the script monitor), in this file's
// own graph: the ESM loader then reads it all in one walk. Imported afterwards, it was a second
// round of reads, and on Node 20 each read costs the program event-loop turns (modules are read
// asynchronously): in the busy program of bench attach-first-event, 20 to 60 ms more from the
// injection to everything loaded.
import '../agent/linking.js';
import '../agent/script-monitor.js';

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
  /** Where mscope puts the monitors once it has compiled them: the agent loads its modules meanwhile, and waits for the file. */
  readonly monitorsFile: string;
  readonly options: AgentOptions;
  /** mscope's pid: if it dies without detaching, the agent detaches by itself. */
  readonly consumer: number;
  /** The kinds of monitor mscope will send (`d`, `ts`, `acct`): their modules load while it compiles. */
  readonly kinds?: readonly string[];
  /** Through the inspector: the file mscope creates once its inspector session has gone (attach/bootstrap.cts closes the inspector then). */
  readonly released?: string;
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
/** An agent injected and waiting for its monitors: a second attach is refused as one attached is. */
let waiting = false;

/** The splicer of the current attach, for `mscope links` and the bench. */
export function currentSplicer(): Splicer | null {
  return current?.splicer ?? null;
}

/**
 * Starts the agent for `raw` (checked here: it crossed a process boundary) and tells mscope
 * in the session. mscope may inject it before it has compiled its program: the agent loads its
 * modules meanwhile and waits for the monitors file, and gives up, having started nothing, if
 * mscope removes its session (a compile error) or exits first (null then).
 * `inspectorClosed`: attached through the inspector mscope opened, which attach/bootstrap.cts
 * closes once mscope's session has gone; `attached` is reported only after that, so that
 * mscope's "closed again" is true. Null through the preload's control socket.
 */
export async function attach(raw: unknown, inspectorClosed: Promise<void> | null): Promise<AttachAnswer | null> {
  const request = checkRequest(raw);
  if (current !== null || waiting) throw new Error('another mscope is attached to this process');
  waiting = true;
  let specs: MonitorSpec[];
  try {
    const [appeared] = await Promise.all([
      monitorsAppear(request.monitorsFile, () => processAlive(request.consumer), false),
      preloadAttachedAgent(request.kinds ?? []),
    ]);
    if (!appeared) return null;
    specs = JSON.parse(readFileSync(request.monitorsFile, 'utf8')) as MonitorSpec[];
  } finally {
    waiting = false;
  }
  return start(request, specs, inspectorClosed);
}

async function start(request: AttachRequest, specs: MonitorSpec[], inspectorClosed: Promise<void> | null): Promise<AttachAnswer> {
  if (current !== null) throw new Error('another mscope is attached to this process');
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
    await inspectorClosed;
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
    typeof r.options.root !== 'string' ||
    (r.kinds !== undefined && (!Array.isArray(r.kinds) || !r.kinds.every((k) => typeof k === 'string')))
  )
    throw new Error('malformed attach request');
  return { session: r.session, monitorsFile: r.monitorsFile, options: r.options, consumer: r.consumer, kinds: r.kinds ?? [] };
}

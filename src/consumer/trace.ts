import type { AgentMessage, AgentOptions, MonitorSpec } from '../agent/protocol.js';
import { TracedChild, exitStatus, nodeOptionsWithAgent } from './child.js';
import { monitorKind } from './monitor-kinds.js';
import type { ConsumerMonitor } from './consumer.js';
import { onBrokenStdout, type OutputSink } from './output.js';
import { RunReport } from './run-report.js';
import { Session } from './session.js';
import { setTargetPid } from '../lang/runtime/target.js';
import { Stopper } from './stopper.js';

export interface TraceRequest {
  readonly command: readonly string[];
  readonly cwd: string;
  readonly monitors: readonly MonitorSpec[];
  readonly options: AgentOptions;
  readonly out: OutputSink;
  readonly quiet: boolean;
  /** Consumers built by the command itself (accounting sinks), by monitor name. */
  readonly consumers?: ReadonlyMap<string, ConsumerMonitor>;
  /** Sees every message; `mscope list` collects probes through it. */
  readonly onMessage?: (pid: number, message: AgentMessage) => void;
}

export interface TraceResult {
  /** CMD's status, or the code a monitor passed to `exit()`. */
  readonly status: number;
  readonly processes: number;
  /** A monitor failed to load, start or finish, or a description matched no probe. */
  readonly failed: boolean;
}

/**
 * Runs CMD under the agent with the given monitors, relays live output, and once CMD has
 * exited hands every monitor's results to its consumer and reports faults on stderr.
 * Monitors are checked before CMD starts: a bad one means CMD never runs.
 */
export async function trace(req: TraceRequest): Promise<TraceResult> {
  for (const spec of req.monitors) await monitorKind(spec).validate(spec);
  let child: TracedChild | null = null;
  let stopper: Stopper | null = null;
  let requestedExit: number | undefined;
  let consumerFailed = false;
  /** The consumers are ending: END runs there, and its exit(N) overrides an earlier status. */
  let ending = false;
  const stop = (code: number): void => {
    if (ending) {
      requestedExit = code;
      return;
    }
    requestedExit ??= code;
    stopper?.stop('SIGTERM', false);
  };
  const consumers = new Map(
    req.monitors.map((s) => [
      s.name,
      req.consumers?.get(s.name) ?? monitorKind(s).consumer(s, { out: req.out, exit: stop, fail: () => (consumerFailed = true) }),
    ]),
  );
  const scripts = new Set(req.monitors.filter((s) => monitorKind(s).script === true).map((s) => s.name));
  const report = new RunReport(
    req.monitors.map((s) => s.name),
    scripts,
  );
  const session = Session.create();
  session.onMessage((pid, m) => {
    req.onMessage?.(pid, m);
    if (m.t === 'output') req.out.write(m.text);
    else if (m.t === 'warn') process.stderr.write(m.text);
    else if (m.t === 'signal') stopper?.answer(pid);
    else if (m.t === 'delta') consumers.get(m.monitor)?.delta(pid, m.data);
    else if (m.t === 'final') consumers.get(m.monitor)?.final(pid, m.data);
    else if (m.t === 'exit-request') stop(m.code);
    else if (m.t === 'drops')
      process.stderr.write(`mscope: ${m.drops} drops on thread ${m.tid}${session.processes.size > 1 ? ` of process ${pid}` : ''}\n`);
    else {
      if (m.t === 'stats') {
        stopper?.answer(pid);
        reported.add(pid);
      }
      report.add(pid, m);
    }
  });
  if (requestedExit !== undefined) {
    // BEGIN called exit(): DTrace never starts the command then.
    ending = true;
    for (const c of consumers.values()) await c.end(req.out);
    return { status: requestedExit, processes: 0, failed: consumerFailed };
  }
  /** Processes whose agent sent its final report. */
  const reported = new Set<number>();
  let stopOnBrokenPipe = (): void => {};
  try {
    const env = { ...process.env, ...session.env(req.monitors, req.options), NODE_OPTIONS: nodeOptionsWithAgent(process.env.NODE_OPTIONS) };
    child = new TracedChild(req.command, env, req.cwd);
    if (child.pid !== undefined) setTargetPid(child.pid);
    stopper = new Stopper(child, session);
    stopOnBrokenPipe = onBrokenStdout(() => stopper?.stop('SIGPIPE', false));
    session.startPolling();
    let corrupt = 0;
    const exit = await child.exited.finally(() => {
      stopper?.childExited();
      corrupt = session.finish();
    });
    ending = true;
    for (const c of consumers.values()) await c.end(req.out);
    const { lines, failed } = report.lines(req.quiet);
    if (corrupt > 0) lines.push(`mscope: ${corrupt} agent messages were cut short (a traced process died while writing)`);
    const unreported = [...session.processes.keys()].filter((pid) => !reported.has(pid) && !stopper!.killed.has(pid));
    if (req.monitors.length > 0 && unreported.length > 0 && !report.hasFaults()) {
      lines.push(
        `mscope: process${unreported.length === 1 ? '' : 'es'} ${unreported.join(', ')} sent no final report (killed, or the session directory's disk is full); their last results are missing`,
      );
    }
    if (session.processes.size === 0 && req.monitors.length > 0) {
      lines.push('mscope: no Node.js process started by the command reported back; nothing was traced');
    }
    for (const l of lines) process.stderr.write(`${l}\n`);
    const status = stopper.killedFor === null ? exitStatus(exit) : exitStatus({ code: null, signal: stopper.killedFor });
    return { status: requestedExit ?? status, processes: session.processes.size, failed: failed || consumerFailed };
  } finally {
    stopOnBrokenPipe();
    stopper?.dispose();
    session.dispose();
  }
}

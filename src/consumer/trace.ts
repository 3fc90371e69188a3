import type { AgentMessage, AgentOptions, MonitorSpec } from '../agent/protocol.js';
import { monitorKind } from './monitor-kinds.js';
import type { ConsumerMonitor } from './consumer.js';
import { onBrokenStdout, type OutputSink } from './output.js';
import { probeEffectLine } from './probe-effect.js';
import { RunReport } from './run-report.js';
import { Session } from './session.js';
import { recordsWithHeader } from '../lang/index.js';

/**
 * What a session traces: a command mscope starts (`CommandTarget`), or a process it attached
 * to (attach/). The rest of a session (monitors, consumers, output, the end report) is the same.
 */
export interface TraceTarget {
  /** The session the target already reports to (a CMD started early and held); else trace() creates one. */
  readonly session?: Session;
  /** Runs after the monitors are checked and before BEGIN: what can refuse the target does it here (attach injects its agent). */
  prepare?(session: Session, options: AgentOptions, monitors: readonly MonitorSpec[]): Promise<void>;
  /** Starts tracing into `session`; resolves with the status mscope exits with once tracing has ended. */
  run(session: Session, monitors: readonly MonitorSpec[], options: AgentOptions): Promise<number>;
  /** Ends tracing as `signal` to mscope would (exit() asks with SIGTERM, a closed stdout with SIGPIPE). */
  stop(signal: NodeJS.Signals): void;
  /** Process `pid` saw a terminating signal, or sent its final report: it is not stuck. */
  answer(pid: number): void;
  /** Every message, before the session acts on it. */
  seen?(pid: number, message: AgentMessage): void;
  /** Processes mscope killed: their final reports are missing, and that was said. */
  readonly killed: ReadonlySet<number>;
  /** The line for a session in which no process reported back. */
  readonly nothingTraced: string;
  /** Where the traced program's own code is (module names and `fn` scope): CMD's working directory, or an attached process's. */
  readonly root: string;
  dispose(): void;
}

export interface TraceRequest {
  readonly target: TraceTarget;
  readonly monitors: readonly MonitorSpec[];
  readonly options: AgentOptions;
  readonly out: OutputSink;
  readonly quiet: boolean;
  /** Consumers built by the command itself (accounting sinks), by monitor name. */
  readonly consumers?: ReadonlyMap<string, ConsumerMonitor>;
  /** Called once with every monitor's consumer, before CMD starts (a live page reads them). */
  readonly onConsumers?: (consumers: ReadonlyMap<string, ConsumerMonitor>) => void;
  /** Sees every message; `mscope list` collects probes through it. */
  readonly onMessage?: (pid: number, message: AgentMessage) => void;
  /** Given, as tracing starts, what ends it as a monitor's exit(code) does (`mscope top`'s `q`). */
  readonly onStarted?: (stop: (code: number) => void) => void;
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
  const target = req.target;
  let started = false;
  let requestedExit: number | undefined;
  let consumerFailed = false;
  /** An agent could not write some of its messages: what mscope prints is incomplete. */
  let lostMessages = false;
  /** The consumers are ending: END runs there, and its exit(N) overrides an earlier status. */
  let ending = false;
  const stop = (code: number): void => {
    if (ending) {
      requestedExit = code;
      return;
    }
    requestedExit ??= code;
    if (started) target.stop('SIGTERM');
  };
  const write = (text: string): void => req.out.write(text);
  const records = recordsWithHeader(write);
  // Created first: a TypeScript monitor is compiled into it, and agents import it from there.
  const session = target.session ?? Session.create();
  const monitors: MonitorSpec[] = [];
  let consumers: Map<string, ConsumerMonitor>;
  try {
    for (const [i, spec] of req.monitors.entries()) monitors.push(await monitorKind(spec).prepare(spec, session.dir, i));
    await target.prepare?.(session, req.options, monitors);
    consumers = new Map(
      monitors.map((s) => [
        s.name,
        req.consumers?.get(s.name) ??
          monitorKind(s).consumer(s, { out: req.out, records, exit: stop, fail: () => (consumerFailed = true) }),
      ]),
    );
  } catch (error) {
    // A session the target brought is the target's to end (an attach started early removes it only once its injection is over).
    if (target.session !== session) session.dispose();
    throw error;
  }
  req.onConsumers?.(consumers);
  const scripts = new Set(monitors.filter((s) => monitorKind(s).script === true).map((s) => s.name));
  const report = new RunReport(
    monitors.map((s) => s.name),
    scripts,
  );
  const warnedOnce = new Set<string>();
  session.onMessage((pid, m) => {
    req.onMessage?.(pid, m);
    target.seen?.(pid, m);
    if (m.t === 'output') {
      if (m.records === true) records(m.text, m.flow === true);
      else write(m.text);
    } else if (m.t === 'warn') {
      if (m.once !== true || !warnedOnce.has(m.text)) process.stderr.write(m.text);
      if (m.once === true) warnedOnce.add(m.text);
    } else if (m.t === 'signal') target.answer(pid);
    else if (m.t === 'delta') consumers.get(m.monitor)?.delta(pid, m.data);
    else if (m.t === 'final') consumers.get(m.monitor)?.final(pid, m.data);
    else if (m.t === 'exit-request') stop(m.code);
    else if (m.t === 'drops')
      process.stderr.write(`mscope: ${m.drops} drops on thread ${m.tid}${session.processes.size > 1 ? ` of process ${pid}` : ''}\n`);
    else if (m.t === 'lost') {
      lostMessages = true;
      process.stderr.write(
        `mscope: process ${pid} could not write ${m.messages} message${m.messages === 1 ? '' : 's'} to ${session.dir} (${m.cause}): its results are incomplete\n`,
      );
    } else {
      if (m.t === 'stats') {
        target.answer(pid);
        reported.add(pid);
      }
      report.add(pid, m);
    }
  });
  if (requestedExit !== undefined) {
    // BEGIN called exit(): DTrace never starts the command then.
    ending = true;
    target.dispose();
    session.dispose();
    for (const c of consumers.values()) await c.end(req.out);
    return { status: requestedExit, processes: 0, failed: consumerFailed };
  }
  /** Processes whose agent sent its final report. */
  const reported = new Set<number>();
  let stopOnBrokenPipe = (): void => {};
  try {
    started = true;
    req.onStarted?.(stop);
    stopOnBrokenPipe = onBrokenStdout(() => target.stop('SIGPIPE'));
    let corrupt: ReadonlyMap<number, number> = new Map();
    const status = await target.run(session, monitors, req.options).finally(() => {
      corrupt = session.finish();
    });
    ending = true;
    for (const c of consumers.values()) {
      await c.end(req.out);
      if (c.failed === true) consumerFailed = true;
    }
    const { lines, failed } = report.lines(req.quiet);
    if (!req.quiet && session.processes.size > 0 && monitors.some((s) => s.consumerOnly !== true))
      lines.push(await probeEffectLine(report.effect()));
    const cut = cutShort(corrupt, target.killed);
    if (cut !== null) lines.push(cut);
    const unreported = [...session.processes.keys()].filter((pid) => !reported.has(pid) && !target.killed.has(pid));
    if (monitors.length > 0 && unreported.length > 0 && !report.hasFaults()) {
      lines.push(
        `mscope: process${unreported.length === 1 ? '' : 'es'} ${unreported.join(', ')} sent no final report (killed, or the session directory's disk is full); their last results are missing`,
      );
    }
    if (session.processes.size === 0 && monitors.length > 0) lines.push(target.nothingTraced);
    for (const l of lines) process.stderr.write(`${l}\n`);
    return {
      status: requestedExit ?? status,
      processes: session.processes.size,
      failed: failed || consumerFailed || lostMessages || cut !== null,
    };
  } finally {
    stopOnBrokenPipe();
    target.dispose();
    session.dispose();
  }
}

/**
 * The line that says agent messages were cut short, or null: a process mscope killed (the
 * reader went away, ^C) may die in the middle of a message, which is mscope's doing, not news.
 */
export function cutShort(corrupt: ReadonlyMap<number, number>, killed: ReadonlySet<number>): string | null {
  let n = 0;
  for (const [pid, count] of corrupt) if (!killed.has(pid)) n += count;
  return n === 0 ? null : `mscope: ${n} agent messages were cut short (a traced process died, or its disk filled, while writing)`;
}

import { threadId } from 'node:worker_threads';
// Not core's index, nor the weaver: a process whose monitors all run in mscope loads neither
// (the weaver comes through `useWeaver`, from agent/linking.ts).
import { ErrorCode, MscopeError, describeError } from '../core/errors.js';
import type { ProbeDescription } from '../core/description.js';
import type { LinkHandle, LinkOptions } from '../weaver/link.js';
import type { Monitor } from '../weaver/types.js';
import type { AgentOptions, LinkReport } from './protocol.js';
import type { AgentChannel } from './channel.js';
import type { AgentContext, AgentMonitor, AgentWeaver } from './types.js';

/** A monitor that runs in mscope alone: nothing to link, nothing to report. */
export const CONSUMER_ONLY: AgentMonitor = { start: () => {}, flush: () => undefined, finish: () => undefined };

interface Running {
  readonly name: string;
  readonly monitor: AgentMonitor;
  readonly handles: LinkHandle[];
  firstFault: string | undefined;
  /** Restarts of message-bound monitors (summed over links), for mscope's stderr report. */
  restarts: Map<number, number>;
}

/**
 * Runs the monitors of one traced process and reports to mscope through the channel:
 * periodic deltas, and at exit (or on `exit()`) each monitor's final value and link stats.
 */
export class Agent {
  private readonly running: Running[] = [];
  private readonly byLink = new Map<number, Running>();
  private finished = false;
  private dropsReported = 0;
  private lostReported = 0;
  private stopFaults: (() => void) | null = null;
  private weaver: AgentWeaver | null = null;

  constructor(
    private readonly channel: AgentChannel,
    private readonly options: AgentOptions,
  ) {}

  hello(): void {
    this.channel.send({ t: 'hello', pid: process.pid, ppid: process.ppid, argv: process.argv });
    this.channel.flush();
  }

  /** Tells mscope at once that a terminating signal reached this process's JavaScript. */
  signalled(signal: NodeJS.Signals): void {
    this.channel.send({ t: 'signal', signal });
    this.channel.flush();
  }

  /** What monitors link with; before it (or without it) a monitor cannot link. */
  useWeaver(weaver: AgentWeaver): void {
    this.weaver = weaver;
  }

  /** Starts `monitor`; a monitor that fails to start is reported and left out. */
  add(name: string, monitor: AgentMonitor): void {
    const r: Running = { name, monitor, handles: [], firstFault: undefined, restarts: new Map() };
    if (this.weaver !== null)
      this.stopFaults ??= this.weaver.onFault((report) => {
        const owner = this.byLink.get(report.linkId);
        if (owner === undefined) return;
        owner.firstFault ??= describeError(report.error);
        // Each report carries the link's restarts so far; one relink starts a new count, so keep the largest.
        if (report.restarts !== undefined)
          owner.restarts.set(report.linkId, Math.max(owner.restarts.get(report.linkId) ?? 0, report.restarts));
      });
    try {
      monitor.start(this.contextFor(r));
      this.running.push(r);
    } catch (error) {
      for (const h of r.handles) h.unlink();
      this.fault(name, error, `monitor ${name} failed to start`);
    }
  }

  /** Reports a failure outside a probe handler: loading, starting, flushing, finishing. */
  fault(monitor: string, error: unknown, what: string): void {
    // A bad monitor file's error already names the monitor; other errors get `what` in front.
    const named = error instanceof MscopeError && error.code === ErrorCode.BadMonitor;
    const message = named ? error.message : `${what}: ${error instanceof MscopeError ? error.message : describeError(error)}`;
    this.channel.send({ t: 'fault', monitor, message });
  }

  /** Sends each monitor's delta; called on a timer while the process runs. */
  flush(): void {
    if (this.finished) return;
    for (const r of this.running) {
      const data = this.guard(r, 'flush', () => r.monitor.flush());
      if (data !== undefined) this.channel.send({ t: 'delta', monitor: r.name, data });
    }
    this.reportDrops();
    this.channel.flush();
  }

  /** Drops as they happen, as DTrace prints them while tracing: the increase since the last flush. */
  private reportDrops(): void {
    let total = 0;
    for (const r of this.running) {
      for (const h of r.handles) total += h.stats.drops;
      total += r.monitor.drops?.() ?? 0;
    }
    if (total > this.dropsReported) {
      this.channel.send({ t: 'drops', tid: threadId, drops: total - this.dropsReported });
      this.dropsReported = total;
    }
    this.reportLost();
  }

  /** Messages the channel could not write, since the last report; whether there were any. */
  private reportLost(): boolean {
    const lost = this.channel.lost;
    if (lost === this.lostReported) return false;
    this.channel.send({ t: 'lost', messages: lost - this.lostReported, cause: this.channel.lostCause });
    this.lostReported = lost;
    return true;
  }

  /** Probes each linked description matches now, by its text (what `mscope attach` reports once attached). */
  matched(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.running) for (const l of reportLinks(r.handles)) out[l.description] = (out[l.description] ?? 0) + l.probes;
    return out;
  }

  /** Final values and stats, once; later calls do nothing. Synchronous: runs from `exit`. */
  finish(): void {
    if (this.finished) return;
    // Remote links hand back what they hold first (at exit no later turn would deliver it).
    for (const r of this.running) for (const h of r.handles) h.drainSync();
    this.weaver?.flushFaults();
    this.flush();
    this.finished = true;
    for (const r of this.running) {
      const data = this.guard(r, 'finish', () => r.monitor.finish());
      if (data !== undefined) this.channel.send({ t: 'final', monitor: r.name, data });
      this.channel.send({ t: 'stats', monitor: r.name, links: reportLinks(r.handles), ...faultOf(r) });
      for (const h of r.handles) h.unlink();
    }
    this.reportDrops();
    this.stopFaults?.();
    if (this.options.list === true && this.weaver !== null) {
      this.channel.send({ t: 'probes', probes: this.weaver.probeRows() });
      this.channel.send({ t: 'skipped', skipped: this.weaver.skipped() });
    }
    this.channel.flush();
    // The final report did not fit (a full disk): one short line more may, and says so.
    if (this.reportLost()) this.channel.flush();
  }

  private contextFor(r: Running): AgentContext {
    return {
      binding: this.options.binding,
      link: (description: string | ProbeDescription, monitor: Monitor, options?: LinkOptions): LinkHandle => {
        if (this.weaver === null) throw new Error('this agent links nothing: its monitors run in mscope');
        const h = this.weaver.link(description, monitor, options);
        r.handles.push(h);
        this.byLink.set(h.id, r);
        return h;
      },
      output: (text: string) => this.channel.send({ t: 'output', text }),
      records: (text: string, flow?: boolean) =>
        this.channel.send({ t: 'output', text, records: true, ...(flow === true ? { flow } : {}) }),
      warn: (text: string) => this.channel.send({ t: 'warn', text }),
      exit: (code = 0) => {
        this.channel.send({ t: 'exit-request', code });
        this.finish();
      },
    };
  }

  private guard(r: Running, during: string, f: () => unknown): unknown {
    try {
      return f();
    } catch (error) {
      this.fault(r.name, error, `monitor ${r.name} threw in ${during}`);
      return undefined;
    }
  }
}

function faultOf(r: Running): { firstFault?: string; restarts?: number } {
  let restarts = 0;
  for (const n of r.restarts.values()) restarts += n;
  return { ...(r.firstFault === undefined ? {} : { firstFault: r.firstFault }), ...(restarts > 0 ? { restarts } : {}) };
}

/** Several links can share one description (one per handled probe name): report them together. */
function reportLinks(handles: readonly LinkHandle[]): LinkReport[] {
  const byText = new Map<string, { -readonly [K in keyof LinkReport]: LinkReport[K] }>();
  for (const h of handles) {
    const text = h.description.text;
    const s = h.stats;
    const acc = byText.get(text) ?? { description: text, probes: 0, events: 0, faults: 0, drops: 0, bindings: {} };
    // Not probes(): a monitor drains its remote links by unlinking them before exit.
    acc.probes += h.matched;
    acc.events += s.events;
    acc.faults += s.faults;
    acc.drops += s.drops;
    for (const [kind, u] of h.useByBinding()) {
      acc.bindings[kind] = (acc.bindings[kind] ?? 0) + u.events;
      if (u.batches > 0) (acc.batches ??= {})[kind] = (acc.batches[kind] ?? 0) + u.batches;
    }
    byText.set(text, acc);
  }
  return [...byText.values()];
}

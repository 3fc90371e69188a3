import { constants } from 'node:os';
import type { TracedChild } from './child.js';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** A terminal's ^C reaches CMD as well as mscope: wait this long for CMD to show it got it before passing it on. */
const FORWARD_AFTER_MS = 250;
/** A traced process that has not answered a signal by then is stuck in JavaScript: untraced, it would be dead. */
const ANSWER_WITHIN_MS = 1000;

/** What the stopper needs of the session: the traced processes, read up to now. */
export interface TracedProcesses {
  poll(): void;
  readonly processes: ReadonlyMap<number, unknown>;
}

/**
 * Ends CMD when mscope is told to stop (^C, SIGTERM, SIGHUP, a closed stdout) the way the
 * signal would untraced. The agent's signal listener runs only when JavaScript yields, so a
 * traced process that has not answered in time is killed, and mscope reports the signal's
 * status for it. A second signal stops waiting; once CMD has exited, mscope finishes
 * printing what was gathered, and a second signal then exits at once.
 */
export class Stopper {
  private signal: NodeJS.Signals | null = null;
  private exited = false;
  private readonly answered = new Set<number>();
  private readonly timers: NodeJS.Timeout[] = [];
  /** Processes mscope killed because they did not answer. */
  readonly killed = new Set<number>();
  /** The signal mscope killed CMD for, when CMD did not answer it. */
  killedFor: NodeJS.Signals | null = null;
  private readonly onSignal = (signal: NodeJS.Signals): void => this.stop(signal, true);

  constructor(
    private readonly child: TracedChild,
    private readonly traced: TracedProcesses,
  ) {
    for (const s of STOP_SIGNALS) process.on(s, this.onSignal);
  }

  /** A traced process saw the signal, or finished: it is not stuck. */
  answer(pid: number): void {
    this.answered.add(pid);
  }

  /** `toMscope`: the signal came to mscope, and may have reached CMD too, from a terminal. */
  stop(signal: NodeJS.Signals, toMscope: boolean): void {
    if (this.exited) {
      if (this.signal !== null) process.exit(128 + (constants.signals[signal] ?? 0));
      this.signal = signal;
      return;
    }
    if (this.signal !== null) return this.killStuck();
    this.signal = signal;
    if (!toMscope) this.child.kill(signal);
    else this.later(FORWARD_AFTER_MS, () => this.forward(signal));
    this.later(ANSWER_WITHIN_MS, () => this.killStuck());
  }

  /** CMD has exited: nothing is left to stop. */
  childExited(): void {
    this.exited = true;
    this.signal = null;
    for (const t of this.timers) clearTimeout(t);
  }

  dispose(): void {
    this.childExited();
    for (const s of STOP_SIGNALS) process.removeListener(s, this.onSignal);
  }

  private forward(signal: NodeJS.Signals): void {
    this.traced.poll();
    const pid = this.child.pid;
    if (pid === undefined || !this.answered.has(pid)) this.child.kill(signal);
  }

  private killStuck(): void {
    const signal = this.signal;
    if (signal === null || this.exited) return;
    for (const pid of this.traced.processes.keys()) {
      if (this.answered.has(pid) || !kill(pid, 'SIGKILL')) continue;
      this.killed.add(pid);
      if (pid === this.child.pid) this.killedFor = signal;
      // Node ignores SIGPIPE, so a Node program never answers it: ending it is the expected outcome.
      if (signal !== 'SIGPIPE')
        process.stderr.write(
          `mscope: process ${pid} did not answer ${signal} (busy in JavaScript): killed; what it gathered since its last report is lost\n`,
        );
    }
  }

  private later(ms: number, f: () => void): void {
    this.timers.push(setTimeout(f, ms));
  }
}

/** False when the process is already gone. */
function kill(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

import type { EventEmitter } from 'node:events';
import { constants } from 'node:os';
import { isOwnListener, onProcess, programListens } from '../core/process-listeners.js';

/** process's signal overloads do not accept a computed name. */
const emitter = process as unknown as EventEmitter;

/**
 * Observes signals without changing what they do. A listener on a signal replaces its
 * default action (SIGINT would stop killing the process), so the watch only listens to
 * signals the application already listens to, and leaves when the application's last
 * listener does. A signal nobody handles keeps its default action and is not seen. The
 * watch's listeners are hidden from the program (`onProcess`), and the agent's are not the
 * application's.
 */
export class SignalWatch {
  private readonly names = Object.keys(constants.signals).filter((s) => s !== 'SIGKILL' && s !== 'SIGSTOP');
  private readonly watching = new Set<string>();
  private readonly listener: (signal: string) => void;

  constructor(onSignal: (signal: string) => void) {
    this.listener = (signal) => onSignal(signal);
  }

  start(): void {
    for (const s of this.names) if (programListens(s)) this.watch(s);
    onProcess('newListener', this.onNew);
    onProcess('removeListener', this.onRemove);
  }

  stop(): void {
    process.off('newListener', this.onNew);
    process.off('removeListener', this.onRemove);
    for (const s of this.watching) emitter.off(s, this.listener);
    this.watching.clear();
  }

  private watch(s: string): void {
    if (this.watching.has(s)) return;
    this.watching.add(s);
    onProcess(s as NodeJS.Signals, this.listener, 'prepend');
  }

  /** Runs just before the application's first listener is added: ours goes first. */
  private readonly onNew = (event: string | symbol, fn: unknown): void => {
    if (typeof event !== 'string' || isOwnListener(fn) || this.watching.has(event) || !this.names.includes(event)) return;
    this.watch(event);
  };

  /**
   * The application's last listener left: ours leaves too, after the current job, since
   * `removeAllListeners` walks the very array a removal now would shorten (it threw).
   */
  private readonly onRemove = (event: string | symbol, fn: unknown): void => {
    if (typeof event !== 'string' || fn === this.listener || !this.watching.has(event)) return;
    queueMicrotask(() => {
      if (!this.watching.has(event) || programListens(event)) return;
      this.watching.delete(event);
      emitter.off(event, this.listener);
    });
  };
}

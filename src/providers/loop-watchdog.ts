import { Worker } from 'node:worker_threads';
import { internalEnv, onProcess, startOwnThread } from '../core/index.js';

/**
 * Catches the stack of a blocked event loop. The main thread bumps a shared counter from a
 * timer; a watchdog worker that sees the counter stand still longer than the threshold asks
 * the inspector, through `session.connectToMainThread()`, to pause the main thread:
 * V8 stops it at the next JavaScript statement, which is inside the code that blocks, and
 * the worker takes the call frames, resumes at once and posts them back.
 */
const WATCHDOG_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const inspector = require('node:inspector');
const beat = new Int32Array(workerData.beat);
const session = new inspector.Session();
session.connectToMainThread();
session.post('Debugger.enable', () => parentPort.postMessage('ready'));
let pausedAt = -1;
session.on('Debugger.paused', (m) => {
  // Paused after the loop moved on (the worker was descheduled): not the blocking stack.
  if (Atomics.load(beat, 0) !== pausedAt) { session.post('Debugger.resume'); return; }
  const frames = m.params.callFrames.map((f) =>
    (f.functionName || '<anonymous>') + ' (' + f.url + ':' + (f.location.lineNumber + 1) + ':' + (f.location.columnNumber + 1) + ')');
  session.post('Debugger.resume');
  parentPort.postMessage(frames);
});
let seen = Atomics.load(beat, 0);
let still = 0;
let paused = false;
setInterval(() => {
  const now = Atomics.load(beat, 0);
  if (now !== seen) { seen = now; still = 0; paused = false; return; }
  still += workerData.pollMs;
  if (!paused && still >= workerData.thresholdMs) { paused = true; pausedAt = now; session.post('Debugger.pause'); }
}, workerData.pollMs);
`;

export class LoopWatchdog {
  private readonly beat = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker: Worker;
  /** The last stack the watchdog caught, taken by the next `blocked` event. */
  private stack: string[] | null = null;
  /** Resolves once the watchdog's inspector session is attached to the main thread. */
  readonly ready: Promise<void>;

  constructor(thresholdMs: number) {
    const pollMs = Math.max(1, Math.floor(thresholdMs / 4));
    const workerData = { beat: this.beat.buffer, thresholdMs, pollMs };
    const options = { eval: true, workerData, execArgv: [], env: internalEnv(), stdout: false, stderr: false };
    this.worker = startOwnThread(() => new Worker(WATCHDOG_SOURCE, options));
    let markReady: () => void = () => {};
    this.ready = new Promise((resolve) => (markReady = resolve));
    this.worker.on('message', (m: string[] | 'ready') => {
      // A stack left from an earlier stall is replaced by the newest.
      if (m === 'ready') {
        markReady();
        // Held until attached, so that a caller awaiting `ready` is not left by an empty loop.
        this.worker.unref();
      } else this.stack = m;
    });
    this.worker.on('error', () => {});
    // Detached at exit, so that no inspector session is left attached then. Not when the loop
    // empties: the worker's termination ran the loop again, and the program's beforeExit
    // listeners a second time.
    onProcess('exit', this.closeBound, 'once');
  }

  private readonly closeBound = (): void => this.close();

  heartbeat(): void {
    Atomics.add(this.beat, 0, 1);
  }

  takeStack(): string {
    const s = this.stack;
    this.stack = null;
    return s === null ? '' : s.join('\n');
  }

  close(): void {
    process.off('exit', this.closeBound);
    void this.worker.terminate();
  }
}

import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/**
 * The application's end of a worker host's message channel. Messages are dispatched as
 * usual while the event loop runs; `receiveUntil` reads them synchronously when it no
 * longer does (an `exit` handler): the host bumps `signal[0]` after each message, and
 * this thread sleeps on it; the worker's bootstrap stores its exit code + 1 in `signal[1]`.
 */
export class HostPort<In> {
  readonly remote: MessagePort;
  readonly signal = new Int32Array(new SharedArrayBuffer(8));
  private readonly port: MessagePort;
  /** Messages `receiveNow` took off the port but left for later, in order; handled before any other. */
  private readonly later: In[] = [];
  private readonly handleLater = (): void => {
    for (let m = this.later.shift(); m !== undefined; m = this.later.shift()) this.onMessage(m);
  };

  constructor(private readonly onMessage: (m: In) => void) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.remote = port2;
    port1.on('message', (m: In) => {
      this.handleLater();
      onMessage(m);
    });
    // A listener refs the port; the application must still exit on its own.
    port1.unref();
  }

  post(m: unknown, transfer: ArrayBuffer[] = []): void {
    this.port.postMessage(m, transfer);
  }

  /** The worker's exit code once it has exited (its `exit` handlers ran), else null. */
  get exitCode(): number | null {
    const c = Atomics.load(this.signal, 1);
    return c === 0 ? null : c - 1;
  }

  /**
   * Handles messages synchronously until `done()`, or until no message has come for
   * `limitMs()` (read again after each message: it may depend on one), or the worker has
   * exited. False when it stops short of `done()`.
   */
  receiveUntil(done: () => boolean, limitMs: () => number): boolean {
    this.handleLater();
    let last = Date.now();
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      for (let r = receiveMessageOnPort(this.port); r !== undefined; r = receiveMessageOnPort(this.port)) {
        this.onMessage(r.message as In);
        last = Date.now();
        if (done()) return true;
      }
      if (done()) return true;
      if (this.exitCode !== null) return false;
      const left = last + limitMs() - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this.signal, 0, seen, left);
    }
  }

  /**
   * Handles at once, without waiting, the messages already on the port that `now` picks (ones
   * whose order against the rest does not matter); the rest are handled in order once the
   * running code returns (a microtask), before any later message. For a thread that runs long
   * without a turn of its event loop. At most `max` messages: a host that posts without end
   * cannot hold the caller.
   */
  receiveNow(now: (m: In) => boolean, max: number): void {
    for (let n = 0; n < max; n++) {
      const r = receiveMessageOnPort(this.port);
      if (r === undefined) return;
      const m = r.message as In;
      if (now(m)) this.onMessage(m);
      else if (this.later.push(m) === 1) queueMicrotask(this.handleLater);
    }
  }

  /** Handles every message already on the port, at once: for a host that is gone, so none follow. */
  receivePending(): void {
    this.handleLater();
    for (let r = receiveMessageOnPort(this.port); r !== undefined; r = receiveMessageOnPort(this.port)) this.onMessage(r.message as In);
  }

  close(): void {
    this.port.close();
  }
}

/** The host's end: posts to the application and wakes it if it is waiting in `receiveUntil`. */
export function hostSender(port: MessagePort, signal: Int32Array): (m: unknown, transfer?: ArrayBuffer[]) => void {
  return (m, transfer) => {
    port.postMessage(m, transfer);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
}

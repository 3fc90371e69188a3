import type { RemoteMonitor } from './monitor-ref.js';

type Factory = (options: unknown) => RemoteMonitor;
type Prepare = (options: unknown) => unknown;
type ReadsTimestamps = (options: unknown) => boolean;
type RemoteModule = { createMonitor?: Factory; prepare?: Prepare; readsTimestamps?: ReadsTimestamps };

/**
 * Runs on the remote side: one monitor instance per link, created from the link's module
 * the first time an event of that link arrives. Faults in `handle` are counted per link,
 * never thrown past here; so are the events handled, which a flush then covers.
 */
export class MonitorSet {
  private readonly monitors = new Map<number, LinkMonitor>();
  /** The monitor of the last event's link (none: -1). */
  private lastLink = -1;
  private last: LinkMonitor | undefined = undefined;
  private factory: Factory | null = null;
  faults = 0;
  /** Faults per link, for hosts (shm) that serve several links. */
  readonly linkFaults = new Map<number, number>();
  lastError: unknown = null;
  /**
   * False when the module's `readsTimestamps(options)` says its monitor never reads
   * `timestamp` or `elapsed`: the probe sites then skip the clock (they read 0 here).
   */
  readsTimestamps = true;

  constructor(
    private readonly url: string,
    private readonly options: unknown,
  ) {}

  async load(): Promise<void> {
    if (this.factory !== null) return;
    const mod = (await import(this.url)) as RemoteModule & { default?: RemoteModule };
    const f = mod.createMonitor ?? mod.default?.createMonitor;
    if (typeof f !== 'function') throw new Error(`${this.url} does not export createMonitor(options)`);
    // createMonitor is called on the first event and must be synchronous; asynchronous
    // set-up (importing a user's monitor file) happens here, before the host says ready.
    const prepare = mod.prepare ?? mod.default?.prepare;
    if (typeof prepare === 'function') await prepare(this.options);
    const reads = mod.readsTimestamps ?? mod.default?.readsTimestamps;
    if (typeof reads === 'function') this.readsTimestamps = reads(this.options) !== false;
    this.factory = f;
  }

  handle(link: number, event: unknown): void {
    try {
      // Created inside the guard: a createMonitor that throws is a monitor fault like any
      // other, not an uncaught exception that takes the whole host (and every link) down.
      // Events of one link come in runs: the map lookup was 12 % of an shm consumer's samples.
      let m = link === this.lastLink ? this.last : this.monitors.get(link);
      if (m === undefined) this.monitors.set(link, (m = { monitor: null, events: 0 }));
      this.lastLink = link;
      this.last = m;
      m.events++;
      (m.monitor ??= this.factory!(this.options)).handle(event);
    } catch (error) {
      this.fault(link, error);
    }
  }

  /** Flush results of every link that has a monitor, as [link, result]. */
  flushAll(): Array<[number, unknown]> {
    const out: Array<[number, unknown]> = [];
    for (const [link, m] of this.monitors) if (m.monitor !== null) out.push([link, this.flush(link)]);
    return out;
  }

  /** Events of `link` handled (faulted ones included) by its current monitor since it was created. */
  handled(link: number): number {
    return this.monitors.get(link)?.events ?? 0;
  }

  flush(link: number): unknown {
    const m = this.monitors.get(link)?.monitor;
    if (m === undefined || m === null || typeof m.flush !== 'function') return undefined;
    try {
      return m.flush();
    } catch (error) {
      this.fault(link, error);
      return undefined;
    }
  }

  private fault(link: number, error: unknown): void {
    this.faults++;
    this.linkFaults.set(link, (this.linkFaults.get(link) ?? 0) + 1);
    this.lastError = error;
  }

  remove(link: number): unknown {
    const result = this.flush(link);
    this.monitors.delete(link);
    if (link === this.lastLink) this.lastLink = -1;
    return result;
  }

  links(): number[] {
    return [...this.monitors.keys()];
  }
}

/** A link's monitor (null until its factory has returned one) and the events handed to it. */
interface LinkMonitor {
  monitor: RemoteMonitor | null;
  events: number;
}

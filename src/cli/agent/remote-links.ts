import type { LinkHandle } from '../../weaver/index.js';

/**
 * The links of one agent monitor whose remote form may run in a worker (shm, message, or
 * after a relink): counts what the remote side reported, drains it when the program ends
 * on its own, and says how much was still in flight when it could not (process.exit()).
 */
export class RemoteLinks {
  readonly handles: LinkHandle[] = [];
  private reported = 0;

  add(handle: LinkHandle): void {
    if (this.handles.length === 0) process.once('beforeExit', () => void Promise.all(this.handles.map((h) => h.unlink())));
    this.handles.push(handle);
  }

  /** Events a remote flush says it processed. */
  noteFlushed(events: number): void {
    this.reported += events;
  }

  /** Events handed to remote bindings that neither a flush nor a drop accounts for. */
  inFlight(): number {
    let handedOver = 0;
    for (const h of this.handles) handedOver += h.remoteEvents - h.stats.drops;
    return Math.max(0, handedOver - this.reported);
  }
}

import type { LinkHandle } from '../weaver/index.js';

/**
 * The links of one agent monitor whose remote form may run in a worker (shm, message, or
 * after a relink): counts what the remote side reported, and says how much was still in
 * flight at exit, after the agent drained them (a hung monitor, a process host).
 */
export class RemoteLinks {
  readonly handles: LinkHandle[] = [];
  private reported = 0;
  /** Events the remote monitor refused (its output buffer full): drops the links' stats do not hold. */
  dropped = 0;

  add(handle: LinkHandle): void {
    this.handles.push(handle);
  }

  /** Events a remote flush says it processed, and those it refused. */
  noteFlushed(events: number, dropped: number): void {
    this.reported += events + dropped;
    this.dropped += dropped;
  }

  /** Events handed to remote bindings that neither a flush nor a drop accounts for. */
  inFlight(): number {
    let handedOver = 0;
    for (const h of this.handles) handedOver += h.remoteEvents - h.stats.drops;
    return Math.max(0, handedOver - this.reported);
  }
}

import type { ProbeEvent } from '../../core/index.js';
import { reportFault } from '../faults.js';
import type { Binding, LinkStats, Monitor } from '../types.js';

/**
 * The monitor runs inline on the probe's thread: full fidelity (live args, `this`, the
 * stack), and the cost of one guarded call. A throwing monitor is counted and reported;
 * the exception never reaches the application.
 */
export class DirectBinding implements Binding {
  readonly kind = 'direct' as const;
  readonly stats: LinkStats = { events: 0, faults: 0, drops: 0 };
  private open = true;

  constructor(
    private readonly monitor: Monitor,
    private readonly linkId: number,
    private readonly description: string,
    /** What the monitor declared at link time (LinkOptions): the probe site skips what it need not do. */
    readonly keepsEvents = true,
    readonly readsArgs = true,
    readonly readsEvent = true,
  ) {}

  deliver(event: ProbeEvent): void {
    if (this.open !== true) return;
    this.stats.events++;
    try {
      this.monitor(event);
    } catch (error) {
      this.fault(error);
    }
  }

  close(): void {
    this.open = false;
  }

  private fault(error: unknown): void {
    const faults = ++this.stats.faults;
    reportFault({ linkId: this.linkId, description: this.description, error, faults });
  }
}

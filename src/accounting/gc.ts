import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import type { Activity } from './activity.js';
import { F } from './fields.js';

const SIZE = 4096;

/**
 * The last few thousand segments (activity id, start, end), so that a GC pause reported after
 * the fact can be charged to the activity whose segment it interrupted. Ids, not activities:
 * holding the last 4096 activities kept each request's through scavenges into old space
 * (hello-world server, gc subsystem alone: +3 to +5 µs of CPU per request), and a pause is
 * charged only to an activity still open (a finished one's charges would land in TRASH).
 */
export class SegmentLog {
  /** Per entry: id, start, end; id 0 marks an empty entry. */
  private readonly log = new Float64Array(SIZE * 3);
  private head = 0;

  constructor(private readonly open: ReadonlyMap<number, Activity>) {}

  add(a: Activity, start: number, end: number): void {
    const i = this.head;
    const log = this.log;
    log[i * 3] = a.id;
    log[i * 3 + 1] = start;
    log[i * 3 + 2] = end;
    this.head = (i + 1) % SIZE;
  }

  /** Charges the overlap of [start, end) with each logged segment to its activity, if still open. */
  charge(start: number, end: number): void {
    const log = this.log;
    for (let n = 1; n <= SIZE; n++) {
      const i = (this.head - n + SIZE) % SIZE;
      const id = log[i * 3]!;
      if (id === 0) return;
      const e = log[i * 3 + 2]!;
      if (e <= start) return;
      const overlap = Math.min(e, end) - Math.max(log[i * 3 + 1]!, start);
      if (overlap <= 0) continue;
      const a = this.open.get(id);
      if (a !== undefined) a.add(F.gc, overlap);
    }
  }
}

/**
 * Charges GC pauses: inside an activity's segment to its `gc_ns`, and to the `gc_lifetime_ns`
 * of every activity open at the time. PerformanceObserver delivers entries a little later,
 * with their start time, which is why segments are logged.
 */
export class GcAccounting {
  private readonly observer: PerformanceObserver;

  constructor(
    readonly segments: SegmentLog,
    private readonly open: ReadonlyMap<number, Activity>,
  ) {
    this.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) this.pause(e);
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  private pause(e: PerformanceEntry): void {
    const start = e.startTime * 1e6;
    const end = start + e.duration * 1e6;
    this.segments.charge(start, end);
    for (const a of this.open.values()) {
      if (a.startNs > start) continue;
      a.add(F.gcLifetime, end - start);
    }
  }

  disable(): void {
    this.observer.disconnect();
  }
}

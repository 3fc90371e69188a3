import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import type { Activity } from './activity.js';
import { F } from './fields.js';

const SIZE = 4096;

/**
 * The last few thousand segments (activity, start, end), so that a GC pause reported after
 * the fact can be charged to the activity whose segment it interrupted.
 */
export class SegmentLog {
  private readonly times = new Float64Array(SIZE * 2);
  private readonly acts: (Activity | null)[] = new Array<Activity | null>(SIZE).fill(null);
  private head = 0;

  add(a: Activity, start: number, end: number): void {
    const i = this.head;
    this.times[i * 2] = start;
    this.times[i * 2 + 1] = end;
    this.acts[i] = a;
    this.head = (i + 1) % SIZE;
  }

  /** Charges the overlap of [start, end) with each logged segment to its activity. */
  charge(start: number, end: number): void {
    for (let n = 1; n <= SIZE; n++) {
      const i = (this.head - n + SIZE) % SIZE;
      const a = this.acts[i];
      if (a === null || a === undefined) return;
      const s = this.times[i * 2]!;
      const e = this.times[i * 2 + 1]!;
      if (e <= start) return;
      const overlap = Math.min(e, end) - Math.max(s, start);
      if (overlap > 0) a.add(F.gc, overlap);
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

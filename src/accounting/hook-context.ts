import { createHook, executionAsyncResource, type AsyncHook, type AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { nowNs } from '../core/index.js';
import type { Activity } from './activity.js';
import type { ContextTracker } from './context.js';
import { F } from './fields.js';
import type { SegmentLog } from './gc.js';
import type { CpuClock } from './cpu-clock.js';
import type { LinuxSampler } from './linux.js';
import { COUNT_SLOT, Kind, TIME_SLOT, isPoolRequest } from './resource-kinds.js';

const ACT = Symbol('mscope.acct.activity');
const KIND = Symbol('mscope.acct.kind');
const SINCE = Symbol('mscope.acct.since');

type Tagged = { [ACT]?: Activity | null; [KIND]?: Kind; [SINCE]?: number };

export interface HookContextOptions {
  cpu: boolean;
  /** Thread CPU clock for cpu_ns; null charges the segment's wall time. */
  cpuClock: CpuClock | null;
  loop: boolean;
  segments: SegmentLog | null;
  linux: LinuxSampler | null;
  kinds: Map<string, Kind>;
  pool: boolean;
  /**
   * Where AsyncContextFrame makes AsyncLocalStorage free (Node 24), the activity travels in
   * it and `init` tags only the subsystem requests it times: tagging every resource
   * (promises above all) was measured at ~0.2× of a hello-world server's throughput.
   */
  als: AsyncLocalStorage<Activity | null> | null;
}

/**
 * The async-hooks strategy: `init` tags each resource with the activity that created it,
 * `before`/`after` switch the current activity. A switch is a segment boundary, where one
 * clock read (performance.now, ~50 ns) closes the previous activity's segment and opens
 * the next one's; switches between unattributed callbacks read no clock at all.
 */
export class HookContext implements ContextTracker {
  readonly kind: 'hooks' | 'als+hooks';
  private cur: Activity | null = null;
  private segStart = 0;
  private segCpuStart = 0;
  private readonly stack: (Activity | null)[] = [];
  private readonly hook: AsyncHook;
  private readonly timed: boolean;
  private lastIdleMs = performance.nodeTiming.idleTime;
  private lastBoundary = nowNs();
  private busyStart = 0;

  constructor(private readonly o: HookContextOptions) {
    this.kind = o.als === null ? 'hooks' : 'als+hooks';
    this.timed = o.cpu || o.loop || o.segments !== null || o.linux !== null;
    this.hook = createHook({
      init: (_id, type, _trigger, resource) => this.init(type, resource as Tagged),
      before: () => this.before(),
      after: () => this.after(),
    });
    this.hook.enable();
  }

  current(): Activity | null {
    return this.cur;
  }

  run<R>(act: Activity | null, fn: () => R): R {
    if (this.o.als !== null) return this.o.als.run(act, () => this.runHere(act, fn));
    return this.runHere(act, fn);
  }

  private runHere<R>(act: Activity | null, fn: () => R): R {
    const prev = this.cur;
    this.switchTo(act);
    try {
      return fn();
    } finally {
      this.switchTo(prev);
    }
  }

  enter(act: Activity | null): void {
    if (this.o.als !== null) this.o.als.enterWith(act);
    this.switchTo(act);
  }

  flush(): void {
    const a = this.cur;
    if (a === null || !this.timed) return;
    const t = nowNs();
    this.endSegment(a, t, false);
    this.segStart = t;
    if (this.o.cpuClock !== null) this.segCpuStart = this.o.cpuClock();
    if (this.o.linux !== null) this.o.linux.begin();
  }

  disable(): void {
    this.hook.disable();
    this.switchTo(null);
    this.o.als?.disable();
  }

  private init(type: string, r: Tagged): void {
    const a = this.cur;
    if (a === null) return;
    const tagAll = this.o.als === null;
    if (tagAll) r[ACT] = a;
    let k = this.o.kinds.get(type);
    if (k === undefined) {
      if (!this.o.pool || !isPoolRequest(type)) return;
      k = Kind.Pool;
    }
    if (!tagAll) r[ACT] = a;
    // A finished activity's charges land in TRASH: no clock read for them.
    if (a.done) return;
    r[KIND] = k;
    r[SINCE] = nowNs();
  }

  private before(): void {
    const r = executionAsyncResource() as Tagged;
    // With ALS (AsyncContextFrame) the store is already the callback's when `before` runs.
    const a = this.o.als === null ? (r[ACT] ?? null) : (this.o.als.getStore() ?? null);
    this.stack.push(this.cur);
    if (a !== null && !a.done) {
      const k = r[KIND];
      if (k !== undefined && r[ACT] === a) this.complete(a, k, r);
    }
    this.switchTo(a);
  }

  private after(): void {
    this.switchTo(this.stack.length === 0 ? null : this.stack.pop()!);
  }

  /** A subsystem request's callback is running: charge the wait since it was issued. */
  private complete(a: Activity, k: Kind, r: Tagged): void {
    const t = nowNs();
    a.add(COUNT_SLOT[k]!, 1);
    a.add(TIME_SLOT[k]!, t - r[SINCE]!);
    if (k === Kind.Timer) r[SINCE] = t;
    else r[KIND] = Kind.None;
  }

  private switchTo(next: Activity | null): void {
    const prev = this.cur;
    if (prev === next) return;
    this.cur = next;
    if (!this.timed) return;
    // A finished activity's charges land in TRASH: its callbacks after the response (about
    // nine per keep-alive request) get no segment, so no clock reads, idle-time read or log entry.
    const endPrev = prev !== null && !prev.done;
    const beginNext = next !== null && !next.done;
    if (!endPrev && !beginNext) {
      // Leaving it still marks a boundary, which the loop-wait estimate counts from.
      if (prev !== null && this.o.loop) this.lastBoundary = nowNs();
      return;
    }
    const t = nowNs();
    if (endPrev) this.endSegment(prev, t, true);
    if (beginNext) this.beginSegment(next, t);
    this.lastBoundary = t;
  }

  private beginSegment(a: Activity, t: number): void {
    this.segStart = t;
    if (this.o.cpuClock !== null) this.segCpuStart = this.o.cpuClock();
    if (this.o.loop) {
      const idle = performance.nodeTiming.idleTime;
      if (idle !== this.lastIdleMs) {
        // The loop slept since the last boundary we saw: it woke about `lastBoundary + slept`.
        this.busyStart = Math.min(t, this.lastBoundary + (idle - this.lastIdleMs) * 1e6);
        this.lastIdleMs = idle;
      }
      const ready = a.lastSegEnd > this.busyStart ? a.lastSegEnd : this.busyStart;
      if (t > ready) a.add(F.loopWait, t - ready);
    }
    if (this.o.linux !== null) this.o.linux.begin();
  }

  private endSegment(a: Activity, t: number, closing: boolean): void {
    if (this.o.cpu) a.c[a.o + F.cpu] += this.o.cpuClock === null ? t - this.segStart : this.o.cpuClock() - this.segCpuStart;
    if (this.o.segments !== null) this.o.segments.add(a, this.segStart, t);
    if (this.o.linux !== null) this.o.linux.end(a);
    if (!closing) return;
    a.c[a.o + F.segments]++;
    a.lastSegEnd = t;
  }
}

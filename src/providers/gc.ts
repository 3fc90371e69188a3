import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import type * as V8 from 'node:v8';
import { builtin, type Probe } from '../core/index.js';
import type { GcRecord } from './catalogue.js';
import { declare, emit, HookGroup } from './hooks.js';

/**
 * `gc:::start|done`, from a PerformanceObserver on 'gc' entries. V8 reports a collection
 * only once it has finished, and Node delivers entries in batches after the fact, so both
 * probes fire together after the pause: `start` is synthesised from the entry, with its
 * event timestamp set to the entry's start time, and `done` carries the end time. Heap sizes
 * come from a v8.GCProfiler run while enabled, matched to entries by order; 0 when a batch
 * cannot be matched.
 */
const KINDS: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'mark-sweep-compact',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental-marking',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak-callbacks',
  2: 'minor-mark-sweep',
};

interface GcStatistic {
  gcType: string;
  beforeGC: { heapStatistics: { usedHeapSize: number } };
  afterGC: { heapStatistics: { usedHeapSize: number } };
}

let startProbe: Probe | null = null;
let doneProbe: Probe | null = null;
let observer: PerformanceObserver | null = null;
let profiler: V8.GCProfiler | null = null;

export function registerGc(): void {
  if (startProbe !== null) return;
  const group = new HookGroup(install, uninstall);
  startProbe = group.add(declare('gc', '', '', 'start', 'gc_t'));
  doneProbe = group.add(declare('gc', '', '', 'done', 'gc_t'));
}

/** Whether the observer and profiler are installed (for tests and `mscope list -v`). */
export function gcObserving(): boolean {
  return observer !== null;
}

function install(): void {
  profiler = new (builtin<typeof V8>('node:v8').GCProfiler)();
  profiler.start();
  observer = new PerformanceObserver((list) => deliver(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
}

function uninstall(): void {
  observer?.disconnect();
  observer = null;
  profiler?.stop();
  profiler = null;
}

function heapStatistics(count: number): GcStatistic[] | null {
  if (profiler === null) return null;
  const stats = (profiler.stop() as { statistics?: GcStatistic[] } | undefined)?.statistics ?? [];
  profiler.start();
  return stats.length === count ? stats : null;
}

function deliver(entries: PerformanceEntry[]): void {
  const heap = heapStatistics(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const detail = (e as PerformanceEntry & { detail?: unknown }).detail as { kind?: number; flags?: number } | undefined;
    const r: GcRecord = {
      kind: KINDS[detail?.kind ?? 0] ?? 'unknown',
      flags: detail?.flags ?? 0,
      duration_ns: Math.round(e.duration * 1e6),
      heap_before_bytes: heap?.[i]?.beforeGC.heapStatistics.usedHeapSize ?? 0,
      heap_after_bytes: heap?.[i]?.afterGC.heapStatistics.usedHeapSize ?? 0,
    };
    const startNs = Math.round(e.startTime * 1e6);
    if (startProbe!.enabled) emit(startProbe!, r, startNs);
    if (doneProbe!.enabled) emit(doneProbe!, r, startNs + r.duration_ns);
  }
}

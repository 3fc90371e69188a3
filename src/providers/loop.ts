import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { nowNs, type Probe } from '../core/index.js';
import type { LoopRecord } from './catalogue.js';
import { declare, emit, HookGroup } from './hooks.js';
import { LoopWatchdog } from './loop-watchdog.js';

/**
 * `loop:::delay|utilization` every `intervalMs`, `loop:::blocked` when the loop was stuck
 * longer than `blockedMs`. One unref'd sampling timer measures how late it runs; it runs
 * every `intervalMs`, or every `blockedMs / 4` while `blocked` is enabled, so a stall of B
 * is reported with `blocked_ns` between B − blockedMs/4 and B. `blocked` carries the stack
 * the loop was blocked in, caught by a watchdog worker (see loop-watchdog.ts).
 */
export interface LoopOptions {
  intervalMs: number;
  blockedMs: number;
}

const options: LoopOptions = { intervalMs: 1000, blockedMs: 100 };

let probes: { delay: Probe; blocked: Probe; utilization: Probe } | null = null;
let timer: NodeJS.Timeout | null = null;
let watchdog: LoopWatchdog | null = null;
let periodMs = 0;
let dueNs = 0;
let lastReportNs = 0;
let maxLateNs = 0;
let lastLateNs = 0;
let elu: EventLoopUtilization | null = null;

export function registerLoop(): void {
  if (probes !== null) return;
  const group = new HookGroup(start, stop);
  probes = {
    delay: group.add(declare('loop', '', '', 'delay', 'loop_t')),
    blocked: group.add(declare('loop', '', '', 'blocked', 'loop_t')),
    utilization: group.add(declare('loop', '', '', 'utilization', 'loop_t')),
  };
  // The watchdog thread exists only while `blocked` is enabled; a restart picks the new period.
  probes.blocked.onToggle((_p, on) => {
    if (timer !== null && (watchdog !== null) !== on) restart();
  });
}

/** Changes the sampling interval and the blocked threshold; applies at once if running. */
export function configureLoop(next: Partial<LoopOptions>): void {
  Object.assign(options, next);
  if (timer !== null) restart();
}

/** Whether the sampler runs, and once the watchdog (if any) is attached; for tests. */
export function loopState(): { running: boolean; ready: Promise<void> } {
  return { running: timer !== null, ready: watchdog?.ready ?? Promise.resolve() };
}

function restart(): void {
  stop();
  start();
}

function start(): void {
  const blocked = probes!.blocked.enabled;
  periodMs = blocked ? Math.max(1, Math.min(options.intervalMs, options.blockedMs / 4)) : options.intervalMs;
  if (blocked) watchdog = new LoopWatchdog(options.blockedMs);
  lastReportNs = nowNs();
  elu = performance.eventLoopUtilization();
  maxLateNs = 0;
  schedule(lastReportNs);
}

function stop(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  watchdog?.close();
  watchdog = null;
}

function schedule(fromNs: number): void {
  dueNs = fromNs + periodMs * 1e6;
  timer = setTimeout(sample, periodMs);
  timer.unref();
}

function sample(): void {
  const now = nowNs();
  const late = Math.max(0, now - dueNs);
  lastLateNs = late;
  if (late > maxLateNs) maxLateNs = late;
  watchdog?.heartbeat();
  const ps = probes!;
  if (ps.blocked.enabled && late > options.blockedMs * 1e6) {
    // The watchdog's message is read in this turn's poll phase; emit after it, in check.
    setImmediate(emitBlocked, late);
  }
  if (now - lastReportNs >= options.intervalMs * 1e6) report(now);
  schedule(now);
}

function record(): LoopRecord {
  return { delay_ns: lastLateNs, max_delay_ns: maxLateNs, blocked_ns: 0, utilization: 0, active_ns: 0, idle_ns: 0, stack: '' };
}

function emitBlocked(late: number): void {
  const r = record();
  r.blocked_ns = late;
  r.stack = watchdog?.takeStack() ?? '';
  if (probes!.blocked.enabled) emit(probes!.blocked, r);
}

function report(now: number): void {
  const ps = probes!;
  if (ps.delay.enabled) emit(ps.delay, record());
  if (ps.utilization.enabled) {
    const next = performance.eventLoopUtilization();
    const d = performance.eventLoopUtilization(next, elu!);
    elu = next;
    const r = record();
    r.utilization = d.utilization;
    r.active_ns = Math.round(d.active * 1e6);
    r.idle_ns = Math.round(d.idle * 1e6);
    emit(ps.utilization, r);
  }
  lastReportNs = now;
  maxLateNs = 0;
}

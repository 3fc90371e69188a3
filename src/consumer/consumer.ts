import type { JsonAggregation } from '../aggregate/index.js';
import type { MonitorSpec } from '../agent/protocol.js';
import type { OutputSink } from './output.js';

/**
 * The mscope side of an `AgentMonitor`: receives the deltas and final values that monitor
 * sent from every traced process, and prints the merged result once CMD has exited.
 */
export interface ConsumerMonitor {
  delta(pid: number, data: unknown): void;
  final(pid: number, data: unknown): void;
  end(out: OutputSink): void | Promise<void>;
  /** After `end`: something collected did not reach where it was to go (a store on a full disk). */
  readonly failed?: boolean;
  /** The aggregations merged so far, in `-f json`'s shape: what a live page shows. */
  aggregations?(): JsonAggregation[];
}

/** What a consumer may do while CMD runs: print, stop tracing like DTrace's exit(), fail the run. */
export interface ConsumerContext {
  readonly out: OutputSink;
  /** Record lines (`CPU ID FUNCTION:NAME` …), the run's header above the first, whichever process printed it. */
  records(text: string, flow?: boolean): void;
  exit(code: number): void;
  /** Something went wrong that is not the program's doing (a microScope bug): mscope must not exit 0. */
  fail(): void;
}

/** What mscope does with one kind of monitor: check it before CMD starts, then consume. */
export interface MonitorKind {
  /**
   * Checks the monitor before CMD starts and returns the spec agents load: a TypeScript file
   * becomes the JavaScript compiled into the session directory `dir`; `index` is its place
   * among the session's monitors.
   */
  prepare(spec: MonitorSpec, dir: string, index: number): Promise<MonitorSpec>;
  consumer(spec: MonitorSpec, ctx: ConsumerContext): ConsumerMonitor;
  /** Scripts warn about descriptions that matched nothing, and print no summary line. */
  readonly script?: boolean;
}

/** A TypeScript monitor prints from its own process, so there is nothing to merge. */
export const textConsumer: ConsumerMonitor = {
  delta: () => {},
  final: () => {},
  end: () => {},
};

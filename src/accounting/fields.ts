/**
 * The one layout of an activity's counters: every field's slot in the Float64Array that
 * `acct.view()` exposes, its subsystem and what it means. Records, the `acct` provider,
 * the store's columns and the exporters are all derived from this table.
 */
export type Subsystem = 'wall' | 'cpu' | 'loop' | 'gc' | 'fs' | 'net' | 'dns' | 'pool' | 'timers' | 'child' | 'linux';

export interface FieldSpec {
  readonly name: string;
  readonly subsystem: Subsystem;
  readonly doc: string;
}

export const FIELDS = [
  { name: 'latency_ns', subsystem: 'wall', doc: 'wall time from start to stop' },
  { name: 'cpu_ns', subsystem: 'cpu', doc: 'sum of the synchronous JS segments run in its async context' },
  { name: 'segments_count', subsystem: 'cpu', doc: 'synchronous segments run in its async context' },
  { name: 'loop_wait_ns', subsystem: 'loop', doc: 'time its ready callbacks waited while the loop ran other work' },
  { name: 'gc_ns', subsystem: 'gc', doc: 'GC pause time inside its own segments' },
  { name: 'gc_lifetime_ns', subsystem: 'gc', doc: 'GC pause time while it was open, whoever was running' },
  { name: 'fs_count', subsystem: 'fs', doc: 'fs operations' },
  { name: 'fs_bytes', subsystem: 'fs', doc: 'bytes read or written by fs operations' },
  { name: 'fs_ns', subsystem: 'fs', doc: 'time fs operations were outstanding' },
  { name: 'net_in_bytes', subsystem: 'net', doc: 'bytes received on its sockets' },
  { name: 'net_out_bytes', subsystem: 'net', doc: 'bytes sent on its sockets' },
  { name: 'net_count', subsystem: 'net', doc: 'socket connects and writes' },
  { name: 'net_ns', subsystem: 'net', doc: 'time connects and writes were outstanding' },
  { name: 'dns_count', subsystem: 'dns', doc: 'dns lookups' },
  { name: 'dns_ns', subsystem: 'dns', doc: 'time dns lookups were outstanding' },
  { name: 'pool_count', subsystem: 'pool', doc: 'threadpool jobs (crypto, zlib; fs counts under fs)' },
  { name: 'pool_wait_ns', subsystem: 'pool', doc: 'threadpool queue wait (from the task provider; 0 without it)' },
  { name: 'pool_ns', subsystem: 'pool', doc: 'threadpool jobs: submit to completion callback' },
  { name: 'timer_count', subsystem: 'timers', doc: 'timers and immediates that fired' },
  { name: 'timer_ns', subsystem: 'timers', doc: 'time waited on timers, from arming to firing' },
  { name: 'child_count', subsystem: 'child', doc: 'child processes spawned' },
  { name: 'child_ns', subsystem: 'child', doc: 'child process lifetime, spawn to exit' },
  { name: 'runq_wait_ns', subsystem: 'linux', doc: 'main-thread run-queue wait during its segments (schedstat)' },
  { name: 'vcsw_count', subsystem: 'linux', doc: 'voluntary context switches during its segments' },
  { name: 'ivcsw_count', subsystem: 'linux', doc: 'involuntary context switches during its segments' },
] as const satisfies readonly FieldSpec[];

export type FieldName = (typeof FIELDS)[number]['name'];

/** Slot indexes, as constants so hot paths index a typed array with a literal. */
export const F = {
  latency: 0,
  cpu: 1,
  segments: 2,
  loopWait: 3,
  gc: 4,
  gcLifetime: 5,
  fsCount: 6,
  fsBytes: 7,
  fsNs: 8,
  netIn: 9,
  netOut: 10,
  netCount: 11,
  netNs: 12,
  dnsCount: 13,
  dnsNs: 14,
  poolCount: 15,
  poolWait: 16,
  poolNs: 17,
  timerCount: 18,
  timerNs: 19,
  childCount: 20,
  childNs: 21,
  runqWait: 22,
  vcsw: 23,
  ivcsw: 24,
} as const;

export const FIELD_COUNT = FIELDS.length;

export const SUBSYSTEMS: readonly Subsystem[] = ['wall', 'cpu', 'loop', 'gc', 'fs', 'net', 'dns', 'pool', 'timers', 'child', 'linux'];

/** Time fields (`_ns`) other than latency: the breakdown the report and exporters show. */
export const TIME_FIELDS: readonly FieldName[] = FIELDS.filter((f) => f.name.endsWith('_ns') && f.name !== 'latency_ns').map((f) => f.name);
export const BYTE_FIELDS: readonly FieldName[] = FIELDS.filter((f) => f.name.endsWith('_bytes')).map((f) => f.name);
export const COUNT_FIELDS: readonly FieldName[] = FIELDS.filter((f) => f.name.endsWith('_count')).map((f) => f.name);

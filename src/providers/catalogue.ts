import type { ProbeArg } from '../core/index.js';

/**
 * The one table of what every stable provider passes as `args[0]`: each record type's
 * fields and their types. Provider files build their records from the TypeScript types
 * derived here, so the catalogue, the checker's view (`ProbeArg.fields`) and the code
 * cannot drift apart. Absent values are '' / 0 / -1, never undefined, so that records of
 * one probe keep one shape.
 */
type FieldType = 'string' | 'number' | 'boolean' | 'string[]' | 'unknown';
type Spec = Readonly<Record<string, FieldType>>;
type TypeOf<T extends FieldType> = T extends 'string'
  ? string
  : T extends 'number'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'string[]'
        ? string[]
        : unknown;
export type RecordOf<S extends Spec> = { -readonly [K in keyof S]: TypeOf<S[K]> };

export const RECORDS = {
  http_request_t: {
    method: 'string',
    url: 'string',
    route: 'string',
    status: 'number',
    bytes_in: 'number',
    bytes_out: 'number',
    latency_ns: 'number',
    remote_address: 'string',
    remote_port: 'number',
    error: 'string',
  },
  net_socket_t: {
    local_address: 'string',
    local_port: 'number',
    remote_address: 'string',
    remote_port: 'number',
    bytes_read: 'number',
    bytes_written: 'number',
    lifetime_ns: 'number',
    error: 'string',
  },
  fs_op_t: {
    op: 'string',
    form: 'string',
    path: 'string',
    fd: 'number',
    bytes: 'number',
    latency_ns: 'number',
    error: 'string',
  },
  dns_lookup_t: {
    hostname: 'string',
    family: 'number',
    addresses: 'string[]',
    latency_ns: 'number',
    error: 'string',
  },
  gc_t: {
    kind: 'string',
    flags: 'number',
    duration_ns: 'number',
    heap_before_bytes: 'number',
    heap_after_bytes: 'number',
  },
  loop_t: {
    delay_ns: 'number',
    max_delay_ns: 'number',
    blocked_ns: 'number',
    utilization: 'number',
    active_ns: 'number',
    idle_ns: 'number',
    stack: 'string',
  },
  task_t: {
    type: 'string',
    task_id: 'number',
    trigger_id: 'number',
    activity: 'number',
    queue_delay_ns: 'number',
    run_ns: 'number',
  },
  profile_t: {
    stack: 'string',
    top: 'string',
    activity: 'number',
  },
  proc_t: {
    pid: 'number',
    thread_id: 'number',
    code: 'number',
    signal: 'string',
    command: 'string',
    args: 'string[]',
    error: 'string',
    message: 'string',
    origin: 'string',
  },
} as const satisfies Record<string, Spec>;

export type RecordType = keyof typeof RECORDS;
export type HttpRequest = RecordOf<(typeof RECORDS)['http_request_t']>;
export type NetSocket = RecordOf<(typeof RECORDS)['net_socket_t']>;
export type FsOp = RecordOf<(typeof RECORDS)['fs_op_t']>;
export type DnsLookup = RecordOf<(typeof RECORDS)['dns_lookup_t']>;
export type GcRecord = RecordOf<(typeof RECORDS)['gc_t']>;
export type LoopRecord = RecordOf<(typeof RECORDS)['loop_t']>;
export type TaskRecord = RecordOf<(typeof RECORDS)['task_t']>;
export type ProfileRecord = RecordOf<(typeof RECORDS)['profile_t']>;
export type ProcRecord = RecordOf<(typeof RECORDS)['proc_t']>;

const argCache = new Map<RecordType, readonly ProbeArg[]>();

/** The `ProbeArg` list of a probe whose `args[0]` is a record of type `type`. */
export function recordArgs(type: RecordType): readonly ProbeArg[] {
  let args = argCache.get(type);
  if (args === undefined) {
    const fields = Object.entries(RECORDS[type]).map(([name, t]) => ({ name, type: t }));
    args = Object.freeze([{ name: 'args[0]', type, fields }]);
    argCache.set(type, args);
  }
  return args;
}

/** `dc` and `usdt` probes pass what the publisher passed, untyped. */
export const MESSAGE_ARGS: readonly ProbeArg[] = Object.freeze([
  { name: 'args[0]', type: 'unknown' },
  { name: 'args[1]', type: 'string' },
]);

/** The record type every probe of each stable provider passes as `args[0]`; the D checker reads it. */
export const PROVIDER_RECORDS: Readonly<Record<string, RecordType>> = {
  http: 'http_request_t',
  net: 'net_socket_t',
  fs: 'fs_op_t',
  dns: 'dns_lookup_t',
  gc: 'gc_t',
  loop: 'loop_t',
  task: 'task_t',
  profile: 'profile_t',
  proc: 'proc_t',
};

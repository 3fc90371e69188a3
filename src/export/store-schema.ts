import { FIELDS, type AcctRecord } from '../accounting/index.js';

/** The numeric columns in the order a batch carries them (id first, then start_ns, fields, pid). */
export const NUMERIC_COLUMNS = ['id', 'start_ns', ...FIELDS.map((f) => f.name), 'pid'];
/** One row per activity: its run, the process and the run's command, and the record. */
export const COLUMNS = ['id', 'token', ...NUMERIC_COLUMNS.slice(1), 'metrics', 'run', 'command'];
/** One row per `mscope run` (or library store) that wrote to the file. */
export const CREATE_RUNS = 'CREATE TABLE IF NOT EXISTS runs (run INTEGER PRIMARY KEY, started_ns REAL, command TEXT)';
export const CREATE = `CREATE TABLE IF NOT EXISTS activities (id INTEGER, token TEXT, start_ns REAL, ${FIELDS.map((f) => `${f.name} REAL`).join(', ')}, metrics TEXT, run INTEGER, pid INTEGER, command TEXT)`;
export const INSERT = `INSERT INTO activities (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;

/**
 * Writes a record's numbers at `k` in NUMERIC_COLUMNS order. Spelled out because a loop of
 * `r[name]` is a megamorphic keyed load per field (~1.5 µs a record, measured); the test
 * store.test.ts checks this order against NUMERIC_COLUMNS.
 */
export function packNumbers(r: AcctRecord, nums: Float64Array, k: number, pid: number): void {
  nums[k] = r.id;
  nums[k + 1] = r.start_ns;
  nums[k + 2] = r.latency_ns;
  nums[k + 3] = r.cpu_ns;
  nums[k + 4] = r.segments_count;
  nums[k + 5] = r.loop_wait_ns;
  nums[k + 6] = r.gc_ns;
  nums[k + 7] = r.gc_lifetime_ns;
  nums[k + 8] = r.fs_count;
  nums[k + 9] = r.fs_bytes;
  nums[k + 10] = r.fs_ns;
  nums[k + 11] = r.net_in_bytes;
  nums[k + 12] = r.net_out_bytes;
  nums[k + 13] = r.net_count;
  nums[k + 14] = r.net_ns;
  nums[k + 15] = r.dns_count;
  nums[k + 16] = r.dns_ns;
  nums[k + 17] = r.pool_count;
  nums[k + 18] = r.pool_wait_ns;
  nums[k + 19] = r.pool_ns;
  nums[k + 20] = r.timer_count;
  nums[k + 21] = r.timer_ns;
  nums[k + 22] = r.child_count;
  nums[k + 23] = r.child_ns;
  nums[k + 24] = r.runq_wait_ns;
  nums[k + 25] = r.vcsw_count;
  nums[k + 26] = r.ivcsw_count;
  nums[k + 27] = pid;
}

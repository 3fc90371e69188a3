import { parentPort, workerData } from 'node:worker_threads';
import { openSql } from './sqlite.js';
import { INSERT, NUMERIC_COLUMNS } from './store-schema.js';
import { openRun } from './store-runs.js';

/**
 * The store's SQLite side, off the application thread: receives batches (numbers in a
 * transferred Float64Array, strings beside it), inserts each in one transaction.
 */
interface Batch {
  nums: Float64Array;
  tokens: string[];
  metrics: string[];
}

const { path, command } = workerData as { path: string; command: string };
const sql = await openSql(path);
const run = openRun(sql, command);
const port = parentPort!;
port.on('message', (m: Batch | 'save' | 'close') => {
  if (m === 'save') {
    sql.save();
    port.postMessage({ saved: true });
    return;
  }
  if (m === 'close') {
    sql.close();
    port.postMessage({ closed: true });
    port.close();
    return;
  }
  const rows: unknown[][] = [];
  const w = NUMERIC_COLUMNS.length;
  for (let i = 0; i < m.tokens.length; i++) {
    const row: unknown[] = [m.nums[i * w], m.tokens[i], ...m.nums.subarray(i * w + 1, (i + 1) * w), m.metrics[i], run, command];
    rows.push(row);
  }
  try {
    sql.insertMany(INSERT, rows);
    port.postMessage({ written: rows.length });
  } catch (error) {
    port.postMessage({ lost: rows.length, error: error instanceof Error ? error.message : String(error) });
  }
});
port.postMessage({ ready: sql.engine, run });

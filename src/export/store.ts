import { once } from 'node:events';
import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { RecordSource, AcctRecord } from '../accounting/index.js';
import { openSql, savesWholeFile, type SqlBackend } from './sqlite.js';
import { lockStore } from './store-lock.js';
import { NUMERIC_COLUMNS, packNumbers } from './store-schema.js';
import { layoutOf, listRuns, type RunSummary } from './store-runs.js';
import { internalEnv, startOwnThread, threadEntryUrl } from '../core/index.js';

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

export interface StoreOptions {
  /** Records per batch that trigger a send on the next turn of the loop. */
  batch?: number;
  /** Longest a record waits before it is sent (ms); the file is also made durable then. */
  flushMs?: number;
  /** What every row of this run names as its command; default: this process's own. */
  command?: string;
}

const W = NUMERIC_COLUMNS.length;
const NO_LOCK = (): void => {};
const WORKER = threadEntryUrl('store-worker', import.meta.url);
/** A TypeScript entry (run from source) registers tsx before loading it. */
function startWorker(workerData: { path: string; command: string }): Worker {
  if (!WORKER.href.endsWith('.ts')) return startOwnThread(() => new Worker(WORKER, { workerData, env: internalEnv() }));
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(WORKER.href)}); })`;
  return startOwnThread(() => new Worker(boot, { eval: true, workerData, env: internalEnv() }));
}

/**
 * Finished records into a SQLite file, written by a worker thread. On the application
 * thread `add` appends to an array and a batch costs packing its numbers into one
 * transferred Float64Array; SQLite's ~8–13 µs per row happen on the worker.
 */
export class RecordStore {
  private pending: AcctRecord[] = [];
  private scheduled = false;
  private readonly timer: NodeJS.Timeout;
  private readonly batch: number;
  written = 0;
  /** Records whose batch failed to insert: counted, never silently lost. */
  lost = 0;
  /** Why the first of them failed. */
  private lostError = '';
  /** What ended the worker before `close` (a periodic save that hit a full disk), if anything did. */
  private workerError: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly engine: string,
    /** This store's run in the file: `mscope report --run ID`. */
    readonly run: number,
    o: StoreOptions,
    private readonly unlock: () => void,
  ) {
    this.batch = o.batch ?? 512;
    worker.on('message', (m: { written?: number; lost?: number; error?: string }) => {
      if (m.written !== undefined) this.written += m.written;
      if (m.lost !== undefined) this.lost += m.lost;
      if (m.error !== undefined) this.lostError ||= m.error;
    });
    worker.on('error', (error) => void (this.workerError ??= error));
    worker.unref();
    this.timer = setInterval(() => {
      this.flush();
      this.worker.postMessage('save');
    }, o.flushMs ?? 1000);
    this.timer.unref();
  }

  static async open(path: string, o: StoreOptions = {}): Promise<RecordStore> {
    const created = checkStoreFile(path, true);
    let unlock = NO_LOCK;
    try {
      if (savesWholeFile()) unlock = lockStore(path);
      const worker = startWorker({ path, command: o.command ?? process.argv.slice(1).join(' ') });
      const [m] = (await Promise.race([once(worker, 'message'), once(worker, 'error').then(([e]) => Promise.reject(e as Error))])) as [
        { ready: string; run: number },
      ];
      return new RecordStore(worker, m.ready, m.run, o, unlock);
    } catch (error) {
      // A file this call created and could not make a store of (a full disk, a store in use) is not left behind empty.
      if (created) for (const f of [path, `${path}-journal`]) rmSync(f, { force: true });
      unlock();
      throw error;
    }
  }

  add(r: AcctRecord): void {
    this.pending.push(r);
    if (this.pending.length >= this.batch && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Connects the store to an accountant; returns the disconnect. */
  attach(acct: RecordSource): () => void {
    return acct.onRecord((r) => this.add(r));
  }

  /** Sends what is pending to the worker. */
  flush(): void {
    this.scheduled = false;
    const rs = this.pending;
    if (rs.length === 0) return;
    this.pending = [];
    const nums = new Float64Array(rs.length * W);
    const tokens: string[] = new Array<string>(rs.length);
    const metrics: string[] = new Array<string>(rs.length);
    const own = process.pid;
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i]!;
      packNumbers(r, nums, i * W, r.pid ?? own);
      tokens[i] = r.token;
      metrics[i] = hasKeys(r.metrics) ? JSON.stringify(r.metrics) : '{}';
    }
    this.worker.postMessage({ nums, tokens, metrics }, [nums.buffer]);
  }

  /**
   * Flushes, waits for every batch to be written and the file to be closed. Rejects when a
   * batch could not be written (a full disk), and, never hanging, when the worker ends first:
   * awaiting a message from a worker that had gone left nothing to keep mscope's event loop
   * alive, and Node ended it with exit code 13, its accounting summary unprinted (CI, Node 22).
   */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.flush();
    const worker = this.worker;
    worker.ref();
    const closed = new Promise<void>((resolve, reject) => {
      const onMessage = (m: { closed?: boolean }): void => {
        if (m.closed === true) settle(null);
      };
      const onExit = (code: number): void => settle(new Error(`its worker ended (exit code ${code}) before the file was closed`));
      const onError = (error: Error): void => settle(error);
      const settle = (error: Error | null): void => {
        worker.off('message', onMessage).off('exit', onExit).off('error', onError);
        if (error === null) resolve();
        else reject(error);
      };
      worker.on('message', onMessage).on('exit', onExit).on('error', onError);
      // threadId is -1 once the thread has stopped, possibly before its 'exit' event; what
      // stopped it (EFBIG from a save between two batches) is then the reason to give.
      if (worker.threadId === -1) settle(this.workerError ?? new Error('its worker ended before the file was closed'));
    });
    worker.postMessage('close');
    try {
      await closed;
    } finally {
      this.unlock();
    }
    await worker.terminate();
    if (this.lost > 0) throw new Error(`${this.lost} of ${this.lost + this.written} records could not be written: ${this.lostError}`);
  }
}

/** Raised when the run asked for is not in the file; the message lists those that are. */
export class NoSuchRun extends Error {}

/**
 * The records of one run in a store file (default: the latest), oldest first: what
 * `mscope report FILE` reads. A file of the first layout is read as it is, as run 1.
 */
export async function readStore(path: string, run?: number): Promise<AcctRecord[]> {
  return withStore(path, (sql) => {
    const runs = listRuns(sql);
    const pick = run ?? runs.at(-1)?.run;
    if (pick === undefined) return [];
    if (!runs.some((r) => r.run === pick)) throw new NoSuchRun(`has no run ${pick} (runs: ${runs.map((r) => r.run).join(', ')})`);
    const where = layoutOf(sql) === 'legacy' ? '' : ` WHERE run = ${pick}`;
    return sql.all(`SELECT * FROM activities${where} ORDER BY rowid`).map((row) => {
      const r = { ...row, done: true, metrics: JSON.parse(String(row.metrics ?? '{}')) as Record<string, number> };
      return r as unknown as AcctRecord;
    });
  });
}

/** The runs a store file holds, oldest first: `mscope report --runs FILE`. */
export function readRuns(path: string): Promise<RunSummary[]> {
  return withStore(path, listRuns);
}

async function withStore<T>(path: string, read: (sql: SqlBackend) => T): Promise<T> {
  checkStoreFile(path, false);
  const sql = await openSql(path, true);
  try {
    return read(sql);
  } finally {
    sql.close();
  }
}

/**
 * A store is a regular file: a device (`/dev/zero`) would be read forever. Writing, it is
 * created now, so that a path that cannot be written fails before CMD starts, not at its end;
 * returns whether it created it.
 */
function checkStoreFile(path: string, create: boolean): boolean {
  if (path === '') throw new Error('the file name is empty');
  let isFile: boolean | undefined;
  try {
    isFile = statSync(path).isFile();
  } catch (e) {
    if (!create || (e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (isFile === false) throw new Error('not a regular file');
  if (!create || isFile === true) return false;
  try {
    closeSync(openSync(path, 'ax'));
    return true;
  } catch (e) {
    // Created by someone else since the stat: theirs, not ours to remove.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return false;
  }
}

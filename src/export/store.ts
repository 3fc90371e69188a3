import type { Accountant, AcctRecord } from '../accounting/index.js';
import { FIELDS } from '../accounting/index.js';
import { openSql, type SqlBackend } from './sqlite.js';

const COLUMNS = ['id', 'token', 'start_ns', ...FIELDS.map((f) => f.name), 'metrics'];
const CREATE = `CREATE TABLE IF NOT EXISTS activities (id INTEGER, token TEXT, start_ns REAL, ${FIELDS.map((f) => `${f.name} REAL`).join(', ')}, metrics TEXT)`;
const INSERT = `INSERT INTO activities (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;

export interface StoreOptions {
  /** Records per batch that trigger a flush on the next turn of the loop. */
  batch?: number;
  /** Longest a record waits before it is written (ms); sql.js also rewrites the file then. */
  flushMs?: number;
}

/**
 * Finished records into a SQLite file. `add` only appends to an array (well under 2 µs);
 * rows are inserted in batches, in one transaction each, off the activity's path.
 */
export class RecordStore {
  private pending: AcctRecord[] = [];
  private scheduled = false;
  private readonly timer: NodeJS.Timeout;
  private readonly batch: number;
  written = 0;
  /** Batches that failed to insert; their records are counted here, never silently lost. */
  lost = 0;

  private constructor(
    private readonly sql: SqlBackend,
    o: StoreOptions,
  ) {
    this.batch = o.batch ?? 512;
    this.timer = setInterval(() => this.flush(), o.flushMs ?? 1000);
    this.timer.unref();
  }

  static async open(path: string, o: StoreOptions = {}): Promise<RecordStore> {
    const sql = await openSql(path);
    sql.exec(CREATE);
    return new RecordStore(sql, o);
  }

  get engine(): string {
    return this.sql.engine;
  }

  add(r: AcctRecord): void {
    this.pending.push(r);
    if (this.pending.length >= this.batch && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Connects the store to an accountant; returns the disconnect. */
  attach(acct: Accountant): () => void {
    return acct.onRecord((r) => this.add(r));
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const rs = this.pending;
    this.pending = [];
    try {
      this.sql.insertMany(INSERT, rs.map(toRow));
      this.sql.save();
      this.written += rs.length;
    } catch {
      this.lost += rs.length;
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
    this.sql.close();
  }
}

function toRow(r: AcctRecord): unknown[] {
  const row: unknown[] = [r.id, r.token, r.start_ns];
  for (const f of FIELDS) row.push(r[f.name]);
  row.push(JSON.stringify(r.metrics));
  return row;
}

/** Every record in a store file, oldest first: what `mscope report FILE` reads. */
export async function readStore(path: string): Promise<AcctRecord[]> {
  const sql = await openSql(path, true);
  try {
    return sql.all('SELECT * FROM activities ORDER BY rowid').map((row) => {
      const r = { ...row, done: true, metrics: JSON.parse(String(row.metrics ?? '{}')) as Record<string, number> };
      return r as unknown as AcctRecord;
    });
  } finally {
    sql.close();
  }
}

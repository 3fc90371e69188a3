import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/** The few SQL operations the store needs, over either SQLite engine. */
export interface SqlBackend {
  readonly engine: 'node:sqlite' | 'sql.js';
  exec(sql: string): void;
  /** One statement with parameters, in the caller's transaction if any. */
  run(sql: string, params: readonly unknown[]): void;
  /** Inserts rows with one prepared statement inside one transaction. */
  insertMany(sql: string, rows: readonly (readonly unknown[])[]): void;
  all(sql: string): Record<string, unknown>[];
  /** Makes what was inserted durable in the file. */
  save(): void;
  close(): void;
}

interface NodeSqliteStatement {
  run(...params: unknown[]): unknown;
  all(...params: unknown[]): Record<string, unknown>[];
}
interface NodeSqliteDb {
  exec(sql: string): void;
  prepare(sql: string): NodeSqliteStatement;
  close(): void;
}
interface SqlJsStatement {
  run(params: unknown[]): void;
  free(): void;
}
interface SqlJsDb {
  exec(sql: string): { columns: string[]; values: unknown[][] }[];
  run(sql: string, params?: unknown[]): void;
  prepare(sql: string): SqlJsStatement;
  export(): Uint8Array;
  close(): void;
}
type SqlJsInit = () => Promise<{ Database: new (data?: Uint8Array) => SqlJsDb }>;

const require = createRequire(import.meta.url);

/** node:sqlite (Node 22.5+, no native addon to build) where present, else sql.js (WASM). */
export async function openSql(path: string, readOnly = false): Promise<SqlBackend> {
  const nodeSqlite = loadNodeSqlite();
  if (nodeSqlite !== null) return new NodeSqliteBackend(new nodeSqlite(path));
  const init = require('sql.js') as SqlJsInit;
  const SQL = await init();
  const db = existsSync(path) ? new SQL.Database(readFileSync(path)) : new SQL.Database();
  return new SqlJsBackend(db, readOnly ? null : path);
}

/** Whether a store is written by sql.js: the whole file at each save, from a copy in memory. */
export function savesWholeFile(): boolean {
  return loadNodeSqlite() === null;
}

function loadNodeSqlite(): (new (path: string) => NodeSqliteDb) | null {
  if (process.env.MSCOPE_SQLITE === 'sql.js') return null;
  try {
    // Loaded lazily and quietly: node:sqlite prints an ExperimentalWarning on first load.
    const emit = process.emitWarning;
    process.emitWarning = () => {};
    try {
      return (require('node:sqlite') as { DatabaseSync: new (path: string) => NodeSqliteDb }).DatabaseSync;
    } finally {
      process.emitWarning = emit;
    }
  } catch {
    return null;
  }
}

class NodeSqliteBackend implements SqlBackend {
  readonly engine = 'node:sqlite' as const;
  private readonly stmts = new Map<string, NodeSqliteStatement>();
  constructor(private readonly db: NodeSqliteDb) {
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
  }
  exec(sql: string): void {
    this.db.exec(sql);
  }
  run(sql: string, params: readonly unknown[]): void {
    this.db.prepare(sql).run(...params);
  }
  insertMany(sql: string, rows: readonly (readonly unknown[])[]): void {
    let st = this.stmts.get(sql);
    if (st === undefined) this.stmts.set(sql, (st = this.db.prepare(sql)));
    this.db.exec('BEGIN');
    try {
      for (const r of rows) st.run(...r);
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }
  all(sql: string): Record<string, unknown>[] {
    return this.db.prepare(sql).all();
  }
  save(): void {}
  close(): void {
    this.db.close();
  }
}

/** sql.js keeps the database in memory; `save()` writes the whole file (O(size): batch it). */
class SqlJsBackend implements SqlBackend {
  readonly engine = 'sql.js' as const;
  constructor(
    private readonly db: SqlJsDb,
    private readonly path: string | null,
  ) {}
  exec(sql: string): void {
    this.db.run(sql);
  }
  run(sql: string, params: readonly unknown[]): void {
    this.db.run(sql, [...params]);
  }
  insertMany(sql: string, rows: readonly (readonly unknown[])[]): void {
    const st = this.db.prepare(sql);
    this.db.run('BEGIN');
    try {
      for (const r of rows) st.run(r as unknown[]);
      this.db.run('COMMIT');
    } finally {
      st.free();
    }
  }
  all(sql: string): Record<string, unknown>[] {
    const res = this.db.exec(sql);
    if (res.length === 0) return [];
    const { columns, values } = res[0]!;
    return values.map((v) => Object.fromEntries(columns.map((c, i) => [c, v[i]])));
  }
  save(): void {
    if (this.path === null) return;
    // A name nobody can plant a link at beforehand ('wx' refuses one), removed again if the write fails part-way.
    const tmp = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      writeFileSync(tmp, this.db.export(), { flag: 'wx' });
      renameSync(tmp, this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') rmSync(tmp, { force: true });
      throw error;
    }
  }
  close(): void {
    this.save();
    this.db.close();
  }
}

import type { SqlBackend } from './sqlite.js';
import { CREATE, CREATE_RUNS } from './store-schema.js';

/** A store file's layout: `runs` (run id, pid and command on every row) or the first, without. */
export type StoreLayout = 'runs' | 'legacy';

export function layoutOf(sql: SqlBackend): StoreLayout | null {
  const columns = sql.all('PRAGMA table_info(activities)').map((c) => String(c.name));
  if (columns.length === 0) return null;
  return columns.includes('run') ? 'runs' : 'legacy';
}

/**
 * Brings a store to the `runs` layout (rows of the first layout become run 1, with no pid
 * or command known) and opens a new run; returns its id.
 */
export function openRun(sql: SqlBackend, command: string): number {
  sql.exec('BEGIN IMMEDIATE');
  try {
    sql.exec(CREATE_RUNS);
    if (layoutOf(sql) === 'legacy') {
      for (const c of ['run INTEGER', 'pid INTEGER', 'command TEXT']) sql.exec(`ALTER TABLE activities ADD COLUMN ${c}`);
      sql.exec('INSERT INTO runs (started_ns, command) SELECT min(start_ns), NULL FROM activities');
      sql.exec('UPDATE activities SET run = (SELECT max(run) FROM runs)');
    }
    sql.exec(CREATE);
    sql.run('INSERT INTO runs (started_ns, command) VALUES (?, ?)', [Date.now() * 1e6, command]);
    const run = Number(sql.all('SELECT max(run) AS run FROM runs')[0]!.run);
    sql.exec('COMMIT');
    return run;
  } catch (e) {
    sql.exec('ROLLBACK');
    throw e;
  }
}

export interface RunSummary {
  run: number;
  startedNs: number | null;
  pids: number[];
  activities: number;
  command: string | null;
}

/** Every run in the file, oldest first; a store of the first layout is one run. */
export function listRuns(sql: SqlBackend): RunSummary[] {
  const layout = layoutOf(sql);
  if (layout === null) throw new Error('no activities table');
  if (layout === 'legacy') {
    const [row] = sql.all('SELECT count(*) AS n, min(start_ns) AS started FROM activities');
    return [{ run: 1, startedNs: row!.started as number | null, pids: [], activities: Number(row!.n), command: null }];
  }
  const counts = new Map<number, { n: number; pids: number[] }>();
  for (const r of sql.all('SELECT run, pid, count(*) AS n FROM activities GROUP BY run, pid ORDER BY run, pid')) {
    const c = counts.get(Number(r.run)) ?? { n: 0, pids: [] };
    c.n += Number(r.n);
    if (r.pid !== null) c.pids.push(Number(r.pid));
    counts.set(Number(r.run), c);
  }
  return sql.all('SELECT run, started_ns, command FROM runs ORDER BY run').map((r) => {
    const c = counts.get(Number(r.run));
    return {
      run: Number(r.run),
      startedNs: r.started_ns as number | null,
      pids: c?.pids ?? [],
      activities: c?.n ?? 0,
      command: r.command as string | null,
    };
  });
}

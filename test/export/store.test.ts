import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { acct, type AcctRecord } from '../../src/accounting/index.js';
import { NUMERIC_COLUMNS, packNumbers } from '../../src/export/store-schema.js';
import { MscopeError } from '../../src/core/index.js';
import { RecordStore, readStore, reportFile } from '../../src/export/index.js';

/** node:sqlite's database class where this Node has it (22.5+); the store then writes the file row by row. */
const nodeSqlite = ((): (new (path: string) => { exec(sql: string): void; close(): void }) | null => {
  try {
    return (
      createRequire(import.meta.url)('node:sqlite') as { DatabaseSync: new (path: string) => { exec(sql: string): void; close(): void } }
    ).DatabaseSync;
  } catch {
    return null;
  }
})();

/** Runs `f` with the store's engine set to sql.js (a worker takes its environment when it starts). */
async function withSqlJs(f: () => Promise<void>): Promise<void> {
  const engine = process.env.MSCOPE_SQLITE;
  process.env.MSCOPE_SQLITE = 'sql.js';
  try {
    await f();
  } finally {
    if (engine === undefined) delete process.env.MSCOPE_SQLITE;
    else process.env.MSCOPE_SQLITE = engine;
  }
}

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mscope-store-'));
  acct.enable({ http: false });
});
after(() => {
  acct.disable();
  rmSync(dir, { recursive: true, force: true });
});

describe('the embedded store', () => {
  it('packs every numeric column in schema order', () => {
    const r = Object.fromEntries(NUMERIC_COLUMNS.map((c, i) => [c, i + 1])) as unknown as AcctRecord;
    const nums = new Float64Array(NUMERIC_COLUMNS.length);
    packNumbers(r, nums, 0, NUMERIC_COLUMNS.length);
    assert.deepEqual(
      [...nums],
      NUMERIC_COLUMNS.map((_, i) => i + 1),
    );
  });

  it('keeps every finished record and mscope report prints them per token', async () => {
    const path = join(dir, 'acct.db');
    const store = await RecordStore.open(path, { batch: 7 });
    const detach = store.attach(acct);
    for (let i = 0; i < 30; i++) {
      await acct.run(i % 3 === 0 ? 'GET /slow' : 'GET /fast', async () => {
        acct.metric('rows', i);
        await sleep(i % 3 === 0 ? 3 : 1);
      });
    }
    detach();
    await store.close();
    assert.equal(store.written, 30);
    assert.equal(store.lost, 0);
    const rows = await readStore(path);
    assert.equal(rows.length, 30);
    assert.deepEqual(
      rows.map((r) => r.metrics.rows),
      [...Array(30).keys()],
    );
    assert.equal(rows.filter((r) => r.token === 'GET /slow').length, 10);
    for (const r of rows) assert.equal(r.timer_count, 1);
    const text = await reportFile(path);
    const lines = text.split('\n');
    assert.match(lines[0]!, /^TOKEN\s+COUNT\s+P50 ms\s+P95 ms\s+P99 ms$/);
    assert.match(lines[1]!, /^GET \/fast\s+20\s+\d+\.\d{3}\s+\d+\.\d{3}\s+\d+\.\d{3}$/);
    assert.match(lines[2]!, /^GET \/slow\s+10\s/);
    const slowP50 = Number(lines[2]!.split(/\s+/)[3]);
    assert.ok(slowP50 >= 3 * 0.99, `slow p50 ${slowP50} ms`);
    assert.match(text, /GET \/slow: .*timer=\d+\.\d{3}ms.*timer_count=1/);
  });

  // close() awaited the worker's 'closed' message with nothing else in mscope's event loop: a
  // worker that had ended left the promise pending, and Node exited with code 13 (CI, Node 22).
  it('close() rejects with one line, never hangs, when its worker has ended', async () => {
    const store = await RecordStore.open(join(dir, 'ended.db'));
    await (store as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    const within = new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 5000).unref());
    const outcome = await Promise.race([
      store.close().then(
        () => 'closed',
        (e: Error) => e.message,
      ),
      within,
    ]);
    assert.equal(outcome, 'its worker ended before the file was closed');
  });

  // sql.js writes the whole file at each save through a temporary one beside it, in a directory that
  // may be shared (a store in /tmp): a link planted at a fixed name was written through.
  it('never writes through a link planted beside the store', async () => {
    const path = join(dir, 'shared.db');
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'keep');
    symlinkSync(victim, `${path}.tmp`);
    await withSqlJs(async () => {
      const store = await RecordStore.open(path);
      const detach = store.attach(acct);
      await acct.run('GET /x', async () => sleep(1));
      detach();
      await store.close();
    });
    assert.equal(readFileSync(victim, 'utf8'), 'keep');
    assert.equal((await readStore(path)).length, 1);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('shared.db.') && f !== 'shared.db.tmp'),
      [],
    );
  });

  // node:sqlite inserts each batch into the file: one that fails (a full disk) was counted in
  // `lost` and never said, and mscope reported the run as recorded.
  it(
    'close() rejects when a batch could not be written, with how many and why',
    { skip: nodeSqlite === null ? 'node:sqlite is Node 22.5+' : false },
    async () => {
      const path = join(dir, 'dropped.db');
      const store = await RecordStore.open(path);
      const other = new nodeSqlite!(path);
      other.exec('DROP TABLE activities');
      other.close();
      const detach = store.attach(acct);
      await acct.run('GET /x', async () => sleep(1));
      detach();
      await assert.rejects(store.close(), /^Error: 1 of 1 records could not be written: no such table: activities$/);
    },
  );

  // sql.js saves the whole file from its copy in memory: two runs writing one store at once each
  // saved over the other's records, and both called themselves run 1.
  it('refuses a second writer of a store while the first writes it, and takes over the lock of a process that has gone', async () => {
    const path = join(dir, 'shared-runs.db');
    await withSqlJs(async () => {
      const first = await RecordStore.open(path);
      await assert.rejects(RecordStore.open(path), new RegExp(`^Error: in use by process ${process.pid}, another run writing it`));
      await first.close();
      const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
      writeFileSync(`${path}.lock`, `${gone}\n`);
      const second = await RecordStore.open(path);
      assert.equal(second.run, 2);
      await second.close();
    });
    assert.ok(!existsSync(`${path}.lock`), 'the lock is removed at close');
  });

  it('reports a missing or foreign file as a typed error', async () => {
    await assert.rejects(reportFile(join(dir, 'nope.db')), (e) => e instanceof MscopeError && /no such file/.test(e.message));
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not a database at all, just text that is long enough to look like something');
    await assert.rejects(reportFile(junk), (e) => e instanceof MscopeError && /not an accounting store/.test(e.message));
  });
});

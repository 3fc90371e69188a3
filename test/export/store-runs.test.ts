import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openSql } from '../../src/export/sqlite.js';
import { FIXTURES, mscope } from '../cli/mscope.js';

const HTTP = join(FIXTURES, 'scripts', 'http.mjs');
const REQUESTS = join(FIXTURES, 'scripts', 'requests.mjs');

/** The `activities` table as mscope wrote it before rows carried a run id, pid and command. */
const OLD_SCHEMA =
  'CREATE TABLE activities (id INTEGER, token TEXT, start_ns REAL, latency_ns REAL, cpu_ns REAL, segments_count REAL, loop_wait_ns REAL, gc_ns REAL, gc_lifetime_ns REAL, fs_count REAL, fs_bytes REAL, fs_ns REAL, net_in_bytes REAL, net_out_bytes REAL, net_count REAL, net_ns REAL, dns_count REAL, dns_ns REAL, pool_count REAL, pool_wait_ns REAL, pool_ns REAL, timer_count REAL, timer_ns REAL, child_count REAL, child_ns REAL, runq_wait_ns REAL, vcsw_count REAL, ivcsw_count REAL, metrics TEXT)';

function runsOf(stdout: string): { run: string; pids: string; activities: string; command: string }[] {
  const [header, ...rows] = stdout.trimEnd().split('\n');
  assert.match(header!, /^RUN\s+STARTED\s+PIDS\s+ACTIVITIES\s+COMMAND$/);
  return rows.map((line) => {
    const m = /^(\d+)\s+(\S+)\s+(\S+)\s+(\d+)\s+(.*)$/.exec(line);
    assert.ok(m, `a run line: ${line}`);
    return { run: m[1]!, pids: m[3]!, activities: m[4]!, command: m[5]! };
  });
}

test(
  'runs appended to one store are told apart: run id, pid and command on every row; report picks a run',
  { timeout: 180_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mscope-runs-'));
    const first = await mscope(['run', '--store', 'acct.db', '--', 'node', HTTP], dir);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /^mscope: accounting: 4 activities recorded in acct\.db \(run 1\)$/m);
    const second = await mscope(['run', '--store', 'acct.db', '--', 'node', REQUESTS, 'GET:/two', 'GET:/two'], dir);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /\(run 2\)$/m);

    const sql = await openSql(join(dir, 'acct.db'), true);
    const rows = sql.all('SELECT run, pid, command, token FROM activities ORDER BY rowid');
    sql.close();
    const one = rows.filter((r) => r.run === 1);
    assert.equal(one.length, 4);
    for (const r of one) {
      assert.equal(r.command, `node ${HTTP}`);
      assert.ok(Number(r.pid) > 0 && Number(r.pid) !== process.pid);
    }
    assert.ok(rows.filter((r) => r.run === 2).every((r) => r.command === `node ${REQUESTS} GET:/two GET:/two`));

    const runs = await mscope(['report', '--runs', 'acct.db'], dir);
    assert.equal(runs.status, 0, runs.stderr);
    const listed = runsOf(runs.stdout);
    assert.deepEqual(
      listed.map((r) => [r.run, r.activities, r.command]),
      [
        ['1', '4', `node ${HTTP}`],
        ['2', '2', `node ${REQUESTS} GET:/two GET:/two`],
      ],
    );
    assert.equal(listed[0]!.pids, String(one[0]!.pid));

    const latest = await mscope(['report', 'acct.db'], dir);
    assert.equal(latest.status, 0, latest.stderr);
    assert.doesNotMatch(latest.stdout, /^GET \/\s/m, 'the latest run only');
    assert.match(latest.stdout, /^GET \/two\s+2\s/m);
    const picked = await mscope(['report', '--run', '1', 'acct.db'], dir);
    assert.equal(picked.status, 0, picked.stderr);
    assert.match(picked.stdout, /^GET \/\s+3\s/m);
    assert.match(picked.stdout, /^POST \/missing\s+1\s/m);

    const unknown = await mscope(['report', '--run', '9', 'acct.db'], dir);
    assert.equal(unknown.status, 2);
    assert.equal(unknown.stderr, 'mscope report: acct.db has no run 9 (runs: 1, 2)\n');
    const bad = await mscope(['report', '--run', 'last', 'acct.db'], dir);
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr, 'mscope report: --run expects a run number, got "last"\n');
  },
);

test('a store written by the old schema is migrated: its rows become one run, new runs follow', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-runs-'));
  const path = join(dir, 'old.db');
  const sql = await openSql(path);
  sql.exec(OLD_SCHEMA);
  const row = (id: number, token: string): unknown[] => [id, token, 1.7e18 + id * 1e6, 2e6, ...new Array<number>(24).fill(0), '{}'];
  sql.insertMany(`INSERT INTO activities VALUES (${new Array(29).fill('?').join(', ')})`, [row(1, 'GET /old'), row(2, 'GET /old')]);
  sql.close();

  const before = await mscope(['report', 'old.db'], dir);
  assert.equal(before.status, 0, before.stderr);
  assert.match(before.stdout, /^GET \/old\s+2\s/m, 'an old store reads as it is, unchanged');

  const r = await mscope(['run', '--store', 'old.db', '--', 'node', HTTP], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /recorded in old\.db \(run 2\)$/m);
  const listed = runsOf((await mscope(['report', '--runs', 'old.db'], dir)).stdout);
  assert.deepEqual(
    listed.map((x) => [x.run, x.pids, x.activities, x.command]),
    [
      ['1', '-', '2', '-'],
      ['2', listed[1]!.pids, '4', `node ${HTTP}`],
    ],
  );
  assert.match((await mscope(['report', '--run', '1', 'old.db'], dir)).stdout, /^GET \/old\s+2\s/m);
  assert.match((await mscope(['report', 'old.db'], dir)).stdout, /^GET \/\s+3\s/m);
});

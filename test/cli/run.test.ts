import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, countsByPid, mscope } from './mscope.js';

const cjs = join(FIXTURES, 'cjs');
const esm = join(FIXTURES, 'esm');

test('run --monitor on CommonJS: destructured imports are traced, errors carry the thrown error', async () => {
  const r = await mscope(['run', '--monitor', '../monitors/count.ts', '--monitor', '../monitors/errors.js', '--', 'node', 'app.cjs'], cjs);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^app: total 10$/m);
  assert.deepEqual([...countsByPid(r.stdout).values()], [{ add: 5, divide: 1 }]);
  assert.match(r.stdout, /^error divide: division by zero$/m);
  assert.match(r.stderr, /monitor \.\.\/monitors\/count\.ts: 6 events in 1 process/);
});

test('run --monitor on ESM: async functions and class methods', async () => {
  const r = await mscope(['run', '-q', '--monitor', '../monitors/count.ts', '--', 'node', 'app.mjs'], esm);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual([...countsByPid(r.stdout).values()], [{ add: 3, slowDouble: 3, 'Counter.bump': 2 }]);
  assert.equal(r.stderr, '', 'quiet prints no summary');
});

test("run exits with CMD's status", async () => {
  const r = await mscope(['run', '-q', '--monitor', '../monitors/count.ts', '--', 'node', 'app.cjs'], cjs, { APP_EXIT_CODE: '3' });
  assert.equal(r.status, 3);
  assert.match(r.stdout, /pid \d+: add 5/, 'results are printed when CMD fails');
});

test('CMD may start without --: its own flags are not parsed by mscope', async () => {
  const r = await mscope(['run', '-q', '--monitor', '../monitors/count.ts', 'node', '--no-warnings', 'app.cjs'], cjs);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /pid \d+: add 5/);
});

test('-o writes the monitors output to a file and leaves the app output on stdout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-test-'));
  try {
    const file = join(dir, 'out.txt');
    const r = await mscope(['run', '-q', '-o', file, '--monitor', '../monitors/count.ts', '--', 'node', 'app.cjs'], cjs);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^app: total 10$/m);
    assert.doesNotMatch(r.stdout, /pid \d+:/);
    assert.match(readFileSync(file, 'utf8'), /^pid \d+: add 5$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a monitor that throws is counted and reported in one line; the app is unaffected', async () => {
  const r = await mscope(['run', '-q', '--monitor', '../monitors/faulty.ts', '--', 'node', 'app.mjs'], esm);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^app: total 6 counter 2$/m);
  assert.equal(r.stderr, 'mscope: monitor ../monitors/faulty.ts faulted 3 times (first: TypeError: monitor bug)\n');
});

test('a monitor file that declares keepsEvents and readsArgs false counts as one that does not', async () => {
  const r = await mscope(['run', '-q', '--monitor', '../monitors/borrowing-count.ts', '--', 'node', 'app.cjs'], cjs);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual([...countsByPid(r.stdout).values()], [{ add: 5, divide: 1 }]);
});

test('a monitor file that keeps events gets one per firing unless it declares keepsEvents: false', async () => {
  const monitor = ['run', '-q', '--monitor', '../monitors/keeps-events.ts', '--', 'node', 'app.cjs'];
  const kept = await mscope(monitor, cjs);
  assert.equal(kept.status, 0, kept.stderr);
  assert.match(kept.stdout, /^kept 5 events, 5 distinct: \[0,0\] \[0,1\] \[1,2\] \[3,3\] \[6,4\]$/m);
  // The promise broken: what docs/BINDINGS.md says happens, and proof the declaration reached the probe site.
  const broken = await mscope(monitor, cjs, { DECLARE_KEEPS_EVENTS: 'false' });
  assert.equal(broken.status, 0, broken.stderr);
  assert.match(broken.stdout, /^kept 5 events, 1 distinct: \[\] \[\] \[\] \[\] \[\]$/m);
});

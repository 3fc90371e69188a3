import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, mscope } from './mscope.js';

// A message-bound TypeScript monitor that misbehaves must not change what the target does.
const DIR = join(FIXTURES, 'bindings');
const STATUS = 3;

function baseline(): string {
  // RESTARTED names a file that exists, so the target does not wait for a monitor.
  const marker = join(mkdtempSync(join(tmpdir(), 'mscope-faults-')), 'restarted');
  writeFileSync(marker, 'baseline');
  const r = spawnSync(process.execPath, ['rounds.cjs'], {
    cwd: DIR,
    env: { ...process.env, RESTARTED: marker, APP_EXIT_CODE: String(STATUS) },
    encoding: 'utf8',
  });
  assert.equal(r.status, STATUS, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout;
}

const CASES = [
  { fault: 'throw', what: 'throws on every event', first: /RangeError: monitor bug/, restarts: false },
  { fault: 'loop', what: 'loops forever', first: /monitor did not finish a batch within 1000 ms/, restarts: true },
  // On a loaded machine the batch watchdog (1000 ms) may stop the allocating monitor before its memory limit does.
  { fault: 'memory', what: 'allocates without bound', first: /memory limit|out of memory|did not finish a batch/i, restarts: true },
] as const;

const expected = baseline();

for (const c of CASES) {
  test(`message binding: a TypeScript monitor that ${c.what} leaves the target's stdout and status untouched`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mscope-faults-'));
    const out = join(dir, 'monitor.txt');
    const env: NodeJS.ProcessEnv = { FAULT: c.fault, FAULTED: join(dir, 'faulted'), APP_EXIT_CODE: String(STATUS) };
    // The target keeps calling add() until the restarted monitor writes this file.
    if (c.restarts) env.RESTARTED = join(dir, 'restarted');
    const r = await mscope(['run', '-o', out, '--monitor', 'monitors/faulty.ts', '--', 'node', 'rounds.cjs'], DIR, env);
    assert.equal(r.status, STATUS, r.stderr);
    assert.equal(r.stdout, expected, 'stdout differs from the uninstrumented run');
    assert.match(
      r.stderr,
      new RegExp(`^mscope: monitor monitors/faulty\\.ts faulted \\d+ times \\(first: [^\\n]*(?:${c.first.source})`, 'im'),
    );
    if (c.restarts) {
      assert.match(r.stderr, /^mscope: monitor monitors\/faulty\.ts was restarted [1-9]\d* times?$/m);
      // What the dead worker held is lost, and says so.
      assert.match(r.stderr, /^mscope: monitor monitors\/faulty\.ts dropped [1-9]\d* events$/m);
      // The restarted worker counted events and its flushes reached onExit in the target.
      assert.equal(readFileSync(out, 'utf8'), 'faulty saw events\n');
    } else {
      assert.doesNotMatch(r.stderr, /restarted/);
      assert.equal(readFileSync(out, 'utf8'), 'faulty saw nothing\n');
    }
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { FIXTURES, ROOT, mscope } from './mscope.js';

/** The load-time rewrite serves `fn` probes only; without them the program runs its own code. */

const DIR = join(FIXTURES, 'untouched');

function untraced(): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['app.js'], { cwd: DIR, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('a script without fn probes leaves every function, its text, its stack and the crash banner as untraced', async () => {
  const plain = untraced();
  assert.equal(plain.status, 1);
  assert.match(plain.stderr, /function fail\(o\) \{ return o\.missing\.field; \}\n\s+\^/);
  const r = await mscope(['run', '-q', '-e', 'proc:::exit { @ = count(); }', '--', process.execPath, 'app.js'], DIR);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, plain.stdout);
  assert.ok(r.stderr.startsWith(plain.stderr.trimEnd().split('\n').slice(0, 6).join('\n')), r.stderr);
});

test('a script with fn probes still instruments the program', async () => {
  const r = await mscope(['run', '-q', '-e', 'fn::add:entry { @[probefunc] = count(); }', '--', process.execPath, 'app.js'], DIR);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /add\s+1\n/);
});

test('a program that uses acorn, the parser microScope rewrites with, gets its own instrumented acorn', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'mscope-acorn-'));
  const program = "console.log(require('acorn').parse('1 + 2', { ecmaVersion: 2020 }).body.length)";
  const r = await mscope(['run', '-q', '-e', 'fn:acorn::entry { @ = count(); }', '--', process.execPath, '-e', program], ROOT, {
    MSCOPE_CACHE_DIR: cache,
  });
  rmSync(cache, { recursive: true, force: true });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /circular|warning/i);
  const [printed, count] = r.stdout.trim().split(/\s+/);
  assert.equal(printed, '1');
  assert.ok(Number(count) > 0, r.stdout);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES, mscope } from './mscope.js';

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

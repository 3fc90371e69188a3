import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES, mscope, withoutNotices } from './mscope.js';

// Flags that harden Node against code generation and changes to its built-in objects: the
// program runs as it does untraced, and fn probes still fire.
const dir = join(FIXTURES, 'hardened');
const CLAUSE = 'fn::square:entry { @[probefunc] = count(); }';
const EXPERIMENTAL = /^\(node:\d+\) ExperimentalWarning: .*\n(\(Use `node --trace-warnings .*\n)?/gm;

function untraced(flags: string | readonly string[]): string {
  const r = spawnSync(process.execPath, [...([] as string[]).concat(flags), 'app.cjs'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('--disallow-code-generation-from-strings: D clauses compile and fire in the traced process', async () => {
  const flag = '--disallow-code-generation-from-strings';
  const r = await mscope(['run', '-q', '-e', CLAUSE, '--', 'node', flag, 'app.cjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(withoutNotices(r.stderr), '');
  assert.ok(r.stdout.startsWith(untraced(flag)), r.stdout);
  assert.match(r.stdout, /^\s+square\s+100$/m);
});

test('--frozen-intrinsics: fn probes fire, and one line says what the program can see of the rewrite', async () => {
  const flag = '--frozen-intrinsics';
  const r = await mscope(['run', '-q', '-e', CLAUSE, '--', 'node', flag, 'app.cjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^sum 328350$/m);
  assert.match(r.stdout, /^\s+square\s+100$/m);
  const lines = withoutNotices(r.stderr).replace(EXPERIMENTAL, '').split('\n').filter(Boolean);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(
    lines[0]!,
    /^mscope: intrinsics are frozen \(--frozen-intrinsics\): fn probes fire, but the rewrite shows in rewritten functions' toString\(\) and stack trace columns$/,
  );
});

test('ustack() keeps the program frames of eval code and of a function named like a clause', async () => {
  const r = await mscope(['run', '-q', '-e', 'fn::c1:entry { @[ustack(3)] = count(); }', '--', 'node', 'evals.cjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\s+c1 \(.*evals\.cjs:3:\d+\)$/m);
  assert.match(r.stdout, /^\s+fromEval \(eval at .*evals\.cjs/m);
});

const PERMISSION_FLAG = Number(process.versions.node.split('.')[0]) >= 22 ? '--permission' : '--experimental-permission';

test("Node's permission model without write access: one line names the denial and the flag; the program runs as untraced", async () => {
  const flags = [PERMISSION_FLAG, '--allow-fs-read=*'];
  const r = await mscope(['run', '-q', '-e', CLAUSE, '--', 'node', ...flags, 'app.cjs'], dir);
  assert.equal(r.stdout, untraced(flags));
  const lines = withoutNotices(r.stderr).replace(EXPERIMENTAL, '').split('\n').filter(Boolean);
  assert.match(
    lines[0]!,
    /^mscope: agent: Node's permission model denies FileSystemWrite on \/\S+\/\d+\.ndjson \(--allow-fs-write grants it\): nothing is traced in process \d+$/,
  );
});

test("Node's permission model, writes allowed but no workers: the shm binding's monitor says which flag it needs", async () => {
  const flags = [PERMISSION_FLAG, '--allow-fs-read=*', '--allow-fs-write=*'];
  const r = await mscope(['run', '-q', '-b', 'shm', '-e', CLAUSE, '--', 'node', ...flags, 'app.cjs'], dir);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, untraced(flags));
  assert.match(
    r.stderr,
    /^mscope: monitor script failed to start: Node's permission model denies WorkerThreads \(--allow-worker grants it\)$/m,
  );
});

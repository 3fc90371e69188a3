import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { mscope, ROOT } from './mscope.js';

// The deepest recursion a traced program reaches, against the same program untraced in the
// same test (docs/CONFORMANCE.md, "Recursion depth"). Entry-only runs add no token and no try.
// Without optimizing tiers every frame is an interpreter frame: the depth is then the same
// in every run (with them it varies by some 15 % with when V8 optimizes).
const dir = join(ROOT, 'test/fixtures/modules/fidelity');
const UNOPTIMIZED = ['--no-opt', '--no-maglev'];

function depth(stdout: string): number {
  const m = /^depth (\d+)$/m.exec(stdout);
  assert.ok(m, stdout);
  return Number(m[1]);
}

test('under fn:::entry the deepest recursion is at least 0.85 of the untraced one', async () => {
  const plain = spawnSync(process.execPath, [...UNOPTIMIZED, 'depth.js'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  assert.equal(plain.status, 0, plain.stderr);
  const r = await mscope(['run', '-q', '-e', 'fn::down:entry { @n = count(); }', '--', 'node', ...UNOPTIMIZED, 'depth.js'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ +\d{5,}$/m, 'the probe fired');
  const untraced = depth(plain.stdout);
  const traced = depth(r.stdout);
  assert.ok(traced >= 0.85 * untraced, `traced ${traced} < 0.85 × untraced ${untraced}`);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, ROOT, TSX, mscope } from './mscope.js';

// Stacks a D program sees under `mscope run` of a TypeScript program (tsx: source-mapped):
// the program's frames at .ts positions, never microScope's own.
const dir = join(FIXTURES, 'ts');
const own = [join(ROOT, 'src') + '/', join(ROOT, 'dist') + '/', join(ROOT, 'lib') + '/'];

function frames(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => / \(.*:\d+:\d+\)$/.test(l));
}

test('ustack() under source maps starts at the program frame, with no microScope frame', async () => {
  const r = await mscope(['run', '-q', '-e', 'fn::*query:entry { @[ustack(2)] = count(); }', '--', TSX, 'app.ts'], dir);
  assert.equal(r.status, 0, r.stderr);
  const fs = frames(r.stdout);
  assert.ok(fs.length > 0, r.stdout);
  assert.deepEqual(
    fs.filter((f) => own.some((o) => f.includes(o))),
    [],
  );
  assert.match(fs[0]!, /^query \(.*\/db\.ts:4:\d+\)$/);
});

test('profile-N: ustack() and args[0].stack are the sampled stack, source-mapped to .ts, without our frames', async () => {
  const program = 'profile:::profile-997 { @u[ustack()] = count(); @s[args[0].stack] = count(); @t[args[0].top] = count(); }';
  const r = await mscope(['run', '-q', '-e', program, '--', 'node', '--import', 'tsx', 'busy.ts'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /\[object Array\]/);
  const fs = frames(r.stdout);
  assert.deepEqual(
    fs.filter((f) => own.some((o) => f.includes(o))),
    [],
  );
  // spin is declared on line 5 of busy.ts; esbuild's JavaScript (no interface) has it on line 2.
  // V8 names a sampled function by where it is declared.
  const spin = fs.filter((f) => f.startsWith('spin ('));
  assert.equal(spin.length, 2, r.stdout);
  for (const f of spin) assert.match(f, /^spin \(.*\/busy\.ts:5:\d+\)$/);
  assert.match(r.stdout, /^ {2}spin \(.*\/busy\.ts:5:\d+\) +\d+$/m);
});

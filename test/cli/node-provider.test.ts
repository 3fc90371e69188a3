import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, mscope } from './mscope.js';

// The `node` provider (src/modules/core-modules.ts) under `mscope run`: the probes are linked
// before the program starts, and every way a program reaches a core function sees them.
const dir = join(FIXTURES, 'node-provider');
const program = 'node:fs:readFileSync:entry, node:path:join:entry { @[probefunc, args[0]] = count(); }';

function rows(stdout: string): string[] {
  return [...stdout.matchAll(/^ {2}(\S+) +(\S+) +(\d+)$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`).sort();
}

test('node probes fire for require(), destructured require() and a module loaded later; our own calls do not', async () => {
  const r = await mscope(['run', '-q', '-e', program, '--', 'node', 'main.cjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^helper\/x$/m);
  // No cache-directory join, no acorn.js or helper.cjs read by the loader: only the program's calls.
  assert.deepEqual(rows(r.stdout), [
    'join cjs 1',
    'join helper 1',
    'readFileSync /dev/./null 1',
    'readFileSync /dev//null 1',
    'readFileSync /dev/null 1',
  ]);
});

test('node probes fire for default, named and namespace imports of node:fs and path', async () => {
  const r = await mscope(['run', '-q', '-e', program, '--', 'node', 'main.mjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(rows(r.stdout), [
    'join esm 2',
    'join helper 1',
    'readFileSync /dev/./null 1',
    'readFileSync /dev//null 1',
    'readFileSync /dev/null 1',
  ]);
});

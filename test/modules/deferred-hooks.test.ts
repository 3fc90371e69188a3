import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mscope } from '../cli/mscope.js';
import { needsHooksAtStart } from '../../src/modules/deferred-hooks.js';

/**
 * Node 20 runs ES module hooks on a thread of their own, which a CommonJS program does not
 * need: the thread starts at the first ES module (src/modules/deferred-hooks.ts). Every way a
 * CommonJS program reaches one must still be rewritten.
 */

const DIR = fileURLToPath(new URL('../fixtures/deferred-hooks/', import.meta.url));
const SYNC_HOOKS = 'registerHooks' in (await import('node:module'));
/** What `hooks` reads once an ES module was loaded, and in a program that never loads one. */
const WITH_MODULES = SYNC_HOOKS ? 'sync' : 'thread';
const WITHOUT_MODULES = SYNC_HOOKS ? 'sync' : 'commonjs';

async function countAdd(args: readonly string[]): Promise<{ stdout: string; count: number }> {
  const r = await mscope(['run', '-q', '-e', 'fn:lib.mjs:add:entry { @n = count(); }', '--', process.execPath, ...args], DIR);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /matched no probes/);
  const m = /^\s+(\d+)\s*$/m.exec(r.stdout);
  return { stdout: r.stdout, count: m === null ? 0 : Number(m[1]) };
}

test('a CommonJS program that loads no ES module is rewritten without the hooks thread', async () => {
  const r = await mscope(['run', '-q', '-e', 'fn:plain.cjs:twice:entry { @n = count(); }', '--', process.execPath, 'plain.cjs'], DIR);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^42 ${WITHOUT_MODULES}$`, 'm'));
  assert.match(r.stdout, /^\s+1\s*$/m);
});

for (const [name, args, value] of [
  ['an ES module main', ['main.mjs'], 3],
  ['import() from CommonJS', ['dynamic.cjs'], 5],
  ['require() of an ES module', ['require-esm.cjs'], 7],
  ['import() in a string given to new Function', ['function-import.cjs'], 11],
  ['a .js main that Node detects as an ES module', ['typeless/detect.js'], 8],
] as const) {
  test(`ES module functions are rewritten when reached by ${name}`, async () => {
    const r = await countAdd(args);
    assert.match(r.stdout, new RegExp(`^${value} ${WITH_MODULES}$`, 'm'));
    assert.equal(r.count, 1);
  });
}

test('the hooks thread starts at once for flags and mains that may load an ES module first', () => {
  const own = '--import=file:///x/lib/agent/register.js';
  const cjs = join(DIR, 'plain.cjs');
  assert.equal(needsHooksAtStart(['node', cjs], [], own), false);
  assert.equal(needsHooksAtStart(['node', cjs], ['--import', 'microscope/register'], undefined), false);
  assert.equal(needsHooksAtStart(['node', cjs], ['--import', './setup.mjs'], own), true);
  assert.equal(needsHooksAtStart(['node', cjs], [], `${own} --loader ./l.mjs`), true);
  assert.equal(needsHooksAtStart(['node', cjs], ['--experimental-default-type=module'], own), true);
  assert.equal(needsHooksAtStart(['node'], ['-e', 'import("x")'], own), true);
  assert.equal(needsHooksAtStart(['node', join(DIR, 'main.mjs')], [], own), true);
  assert.equal(needsHooksAtStart(['node', join(DIR, 'typeless', 'detect.js')], [], own), true);
  assert.equal(needsHooksAtStart(['node', join(DIR, 'missing.js')], [], own), true);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Instrumenter } from '../../src/modules/hooks.js';
import { MARKER } from '../../src/modules/transform.js';

function setup(explain = false): { inst: Instrumenter; root: string; cacheDir: string; skips: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'mscope-hooks-'));
  writeFileSync(join(root, 'package.json'), '{}');
  const cacheDir = mkdtempSync(join(tmpdir(), 'mscope-hooks-cache-'));
  const skips: string[] = [];
  const inst = new Instrumenter({ root, cacheDir, explain }, (m, f, r) => skips.push(`${m}:${f}:${r}`));
  return { inst, root, cacheDir, skips };
}

test('an in-scope file is rewritten once, cached, and not rewritten again', () => {
  const { inst, root, cacheDir } = setup();
  const out = inst.process('function f() { return 1; }', join(root, 'a.js'), 'commonjs');
  assert.ok(out !== null && out.code.includes(MARKER));
  assert.equal(readdirSync(cacheDir).length, 1);
  assert.deepEqual(inst.process('function f() { return 1; }', join(root, 'a.js'), 'commonjs'), out);
  assert.equal(inst.process(out.code, join(root, 'a.js'), 'commonjs'), null);
});

test('out-of-scope files are left alone; when explaining, each says why', () => {
  const quiet = setup();
  const dep = (root: string): string => join(root, 'node_modules', 'other', 'index.js');
  assert.equal(quiet.inst.process('function f() {}', dep(quiet.root), 'commonjs'), null);
  assert.deepEqual(quiet.skips, []);
  const { inst, root, skips } = setup(true);
  assert.equal(inst.process('function f() {}', dep(root), 'commonjs'), null);
  assert.deepEqual(skips, [`other:*:other is not a dependency in ${join(root, 'package.json')}`]);
});

test('when explaining, functions that are not sites are reported on a warm cache too', () => {
  const source = 'function f() { return [1].map((x) => x); }';
  const cold = setup();
  assert.ok(cold.inst.process(source, join(cold.root, 'a.js'), 'commonjs') !== null);
  assert.deepEqual(cold.skips, [], 'not explaining: nothing reported');
  const warm = new Instrumenter({ root: cold.root, cacheDir: cold.cacheDir, explain: true }, (m, f, r) =>
    cold.skips.push(`${m}:${f}:${r}`),
  );
  assert.ok(warm.process(source, join(cold.root, 'a.js'), 'commonjs') !== null);
  assert.deepEqual(cold.skips, ['a.js:(anonymous):1 function without a name (a callback or IIFE): give it one to probe it']);
});

test('a file that does not parse is skipped with its reason', () => {
  const { inst, root, skips } = setup();
  assert.equal(inst.process('function (', join(root, 'bad.js'), 'commonjs'), null);
  assert.equal(skips.length, 1);
  assert.match(skips[0]!, /^bad\.js:\*:does not parse: /);
});

test('JSON, addons and WebAssembly are skipped with a reason', () => {
  const { inst, root, skips } = setup();
  inst.skipFile(join(root, 'data.json'), 'json');
  inst.skipFile(join(root, 'addon.node'), 'addon');
  assert.deepEqual(
    skips.map((s) => s.split(':').slice(0, 2).join(':')),
    ['data.json:*', 'addon.node:*'],
  );
});

const strips = 'stripTypeScriptTypes' in nodeModule;
test(
  'TypeScript sources are stripped in place, then rewritten',
  { skip: strips ? false : 'no module.stripTypeScriptTypes on this Node' },
  () => {
    const { inst, root } = setup();
    const src = 'export function f(a: number): number {\n  return a;\n}\n';
    const out = inst.process(src, join(root, 'a.ts'), 'module-typescript');
    assert.ok(out !== null);
    assert.equal(out.format, 'module');
    assert.doesNotMatch(out.code, /: number/);
    assert.equal(out.code.split('\n').length, src.split('\n').length);
  },
);

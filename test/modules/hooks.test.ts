import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Instrumenter } from '../../src/modules/hooks.js';
import { MARKER } from '../../src/modules/transform.js';

function setup(): { inst: Instrumenter; root: string; cacheDir: string; skips: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'mscope-hooks-'));
  writeFileSync(join(root, 'package.json'), '{}');
  const cacheDir = mkdtempSync(join(tmpdir(), 'mscope-hooks-cache-'));
  const skips: string[] = [];
  const inst = new Instrumenter({ root, cacheDir }, (m, f, r) => skips.push(`${m}:${f}:${r}`));
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

test('out-of-scope files are left alone', () => {
  const { inst, root } = setup();
  assert.equal(inst.process('function f() {}', join(root, '..', 'outside.js'), 'commonjs'), null);
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

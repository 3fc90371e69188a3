import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransformCache } from '../../src/modules/cache.js';
import { formatPack, packId, packName, parsePack } from '../../src/modules/cache-pack.js';
import { TRANSFORM_VERSION } from '../../src/modules/transform.js';
import { runFixture } from './run-fixture.js';

test('a pack round-trips its entries, and a damaged one or one of another transform version holds none', () => {
  const entries = [
    [packId('a.js', 'commonjs'), { source: 'function a() {}\n∑', code: 'code\nwith lines ∑' }],
    [packId('b.mjs', 'module:entry'), { source: 'export {}', code: '' }],
  ] as const;
  const text = formatPack(entries, 7);
  const bytes = (t: string): Buffer => Buffer.from(t, 'utf8');
  assert.deepEqual([...parsePack(bytes(text), 7)], entries);
  assert.equal(parsePack(bytes(text), 8).size, 0);
  assert.equal(parsePack(bytes(text.slice(0, -1)), 7).size, 0);
  assert.equal(parsePack(bytes(`${text}x`), 7).size, 0);
  assert.equal(parsePack(bytes('//mscope-pack 3 7 {"k1": 3}\nabc'), 7).size, 0);
  assert.equal(parsePack(bytes('//mscope-pack 2 7 [["k1", 1, 2]]\nabc'), 7).size, 0, 'an earlier layout');
  assert.equal(parsePack(bytes('//mscope-cache k1\nabc'), 7).size, 0);
  assert.notEqual(packName(['/app', 'main.js', 'exits']), packName(['/app', 'other.js', 'exits']));
});

test('the pack answers only for the very source an entry was made from; a run that used others rewrites it, once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-pack-'));
  const first = TransformCache.open(dir, dir);
  let stale = 0;
  first.usePack('pack-t.txt', () => stale++);
  assert.equal(first.packed('one()', 'a.js', 'commonjs'), undefined);
  first.remember('one()', 'a.js', 'commonjs', 'ONE');
  first.remember('', 'b.js', 'commonjs', '');
  assert.equal(stale, 1);
  assert.equal(first.savePack(), true);
  assert.equal(first.savePack(), false, 'nothing new to write');

  const second = TransformCache.open(dir, dir);
  second.usePack('pack-t.txt', () => stale++);
  assert.equal(second.packed('one()', 'a.js', 'commonjs'), 'ONE');
  assert.equal(second.packed('', 'b.js', 'commonjs'), '');
  // Another text, module or format under the same name is not the entry's.
  assert.equal(second.packed('one( )', 'a.js', 'commonjs'), undefined);
  assert.equal(second.packed('one()', 'c.js', 'commonjs'), undefined);
  assert.equal(second.packed('one()', 'a.js', 'commonjs:entry'), undefined);
  assert.equal(stale, 1, 'every entry used was in the pack');
  assert.equal(second.savePack(), false);

  // A run that used one entry the pack lacked writes the entries it used, and only those.
  second.remember('three()', 'c.js', 'commonjs', 'THREE');
  assert.equal(stale, 2);
  assert.equal(second.savePack(), true);
  const third = TransformCache.open(dir, dir);
  third.usePack('pack-t.txt', () => {});
  assert.equal(third.packed('three()', 'c.js', 'commonjs'), 'THREE');
  assert.equal(third.packed('one()', 'a.js', 'commonjs'), 'ONE');
  assert.equal(statSync(join(dir, 'pack-t.txt')).mode & 0o777, 0o600);
  // No entry files: the pack is all there is of them.
  assert.deepEqual(readdirSync(dir), ['pack-t.txt']);
});

test('a pack that is not a private file of this user is not read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-pack-'));
  writeFileSync(
    join(dir, 'pack-t.txt'),
    formatPack([[packId('a.js', 'commonjs'), { source: 'a()', code: 'planted' }]], TRANSFORM_VERSION),
    {
      mode: 0o644,
    },
  );
  chmodSync(join(dir, 'pack-t.txt'), 0o644);
  const c = TransformCache.open(dir, dir);
  c.usePack('pack-t.txt', () => {});
  assert.equal(c.packed('a()', 'a.js', 'commonjs'), undefined);
  chmodSync(join(dir, 'pack-t.txt'), 0o600);
  const own = TransformCache.open(dir, dir);
  own.usePack('pack-t.txt', () => {});
  assert.equal(own.packed('a()', 'a.js', 'commonjs'), 'planted', 'the same file, private, is read');
});

/** An application of two files; `hello.js`'s function is `name`. */
function writeApp(root: string, name: string): void {
  writeFileSync(join(root, 'package.json'), '{"name":"pack-app","version":"1.0.0"}');
  writeFileSync(join(root, 'hello.js'), `'use strict';\nfunction ${name}() {\n  return 'hello';\n}\nmodule.exports = { ${name} };\n`);
  // The last line says whether the rewrite needed node:crypto (a key) to load the program.
  writeFileSync(
    join(root, 'main.js'),
    `'use strict';\nconst h = require('./hello.js');\nconsole.log(h.${name}());\nconsole.log('crypto', process.moduleLoadList.includes('NativeModule crypto'));\n`,
  );
}

test('a traced program reads its entries from its pack, and a changed file is rewritten afresh', () => {
  const root = mkdtempSync(join(tmpdir(), 'mscope-pack-app-'));
  const cacheDir = mkdtempSync(join(tmpdir(), 'mscope-pack-cache-'));
  writeApp(root, 'greet');
  const env = { MSCOPE_CACHE_DIR: cacheDir };
  const cold = runFixture(root, ['main.js'], env);
  assert.equal(cold.status, 0, cold.stderr);
  assert.equal(cold.counts['fn:hello.js:greet:entry'], 1);
  assert.match(cold.stdout, /^crypto true$/m);
  const packs = readdirSync(cacheDir).filter((f) => f.startsWith('pack-'));
  assert.equal(packs.length, 1);
  const pack = join(cacheDir, packs[0]!);

  // The pack is what a warm run reads: what it holds is what runs.
  for (const f of readdirSync(cacheDir)) if (f.endsWith('.js')) rmSync(join(cacheDir, f));
  const doctored = [...parsePack(readFileSync(pack), TRANSFORM_VERSION)].map(
    ([id, e]) => [id, { source: e.source, code: e.code.replace("'hello'", "'from the pack'") }] as const,
  );
  writeFileSync(pack, formatPack(doctored, TRANSFORM_VERSION), { mode: 0o600 });
  const before = readFileSync(pack, 'utf8');
  const warm = runFixture(root, ['main.js'], env);
  assert.equal(warm.status, 0, warm.stderr);
  assert.match(warm.stdout, /^from the pack$/m);
  assert.match(warm.stdout, /^crypto false$/m, 'a warm start computes no key');
  assert.equal(warm.counts['fn:hello.js:greet:entry'], 1);
  assert.equal(readFileSync(pack, 'utf8'), before, 'a run that found every entry leaves the pack as it was');

  // A changed file has another key: the pack's entry for its old text is never used.
  writeApp(root, 'welcome');
  const changed = runFixture(root, ['main.js'], env);
  assert.equal(changed.status, 0, changed.stderr);
  assert.match(changed.stdout, /^hello$/m);
  assert.match(changed.stdout, /^crypto true$/m);
  assert.equal(changed.counts['fn:hello.js:welcome:entry'], 1);
  assert.equal(changed.counts['fn:hello.js:greet:entry'], undefined);
  assert.notEqual(readFileSync(pack, 'utf8'), before, 'the pack now holds the new entries');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransformCache } from '../../src/modules/cache.js';
import { formatPack, packName, parsePack } from '../../src/modules/cache-pack.js';
import { runFixture } from './run-fixture.js';

test('a pack round-trips its entries, and a damaged one holds none', () => {
  const text = formatPack([
    ['k1', 'code\nwith lines ∑'],
    ['k2', ''],
  ]);
  assert.deepEqual(
    [...parsePack(text)],
    [
      ['k1', 'code\nwith lines ∑'],
      ['k2', ''],
    ],
  );
  assert.equal(parsePack(text.slice(0, -1)).size, 0);
  assert.equal(parsePack(`${text}x`).size, 0);
  assert.equal(parsePack('//mscope-pack 1 {"k1": 3}\nabc').size, 0);
  assert.equal(parsePack('//mscope-cache k1\nabc').size, 0);
  assert.notEqual(packName(['/app', 'main.js', 'exits']), packName(['/app', 'other.js', 'exits']));
});

test('entries come from the pack first; a run that used others rewrites it with what it used, once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-pack-'));
  const first = TransformCache.open(dir, dir);
  let stale = 0;
  first.usePack('pack-t.txt', () => stale++);
  first.set('k1', 'one');
  first.set('k2', '');
  assert.equal(stale, 1);
  assert.equal(first.savePack(), true);
  assert.equal(first.savePack(), false, 'nothing new to write');

  // The entry files are gone: only the pack can answer now.
  rmSync(join(dir, 'k1.js'));
  rmSync(join(dir, 'k2.js'));
  const second = TransformCache.open(dir, dir);
  second.usePack('pack-t.txt', () => stale++);
  assert.equal(second.get('k1'), 'one');
  assert.equal(second.get('k2'), '');
  assert.equal(second.get('k3'), undefined);
  assert.equal(stale, 1, 'every entry used was in the pack');
  assert.equal(second.savePack(), false);

  // A run that used one entry the pack lacked writes the entries it used, and only those.
  second.set('k3', 'three');
  assert.equal(stale, 2);
  assert.equal(second.savePack(), true);
  const third = TransformCache.open(dir, dir);
  third.usePack('pack-t.txt', () => {});
  assert.equal(third.get('k3'), 'three');
  assert.equal(statSync(join(dir, 'pack-t.txt')).mode & 0o777, 0o600);
});

test('a pack that is not a private file of this user is not read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-pack-'));
  writeFileSync(join(dir, 'pack-t.txt'), formatPack([['k1', 'planted']]), { mode: 0o644 });
  chmodSync(join(dir, 'pack-t.txt'), 0o644);
  const c = TransformCache.open(dir, dir);
  c.usePack('pack-t.txt', () => {});
  assert.equal(c.get('k1'), undefined);
});

/** An application of two files; `hello.js`'s function is `name`. */
function writeApp(root: string, name: string): void {
  writeFileSync(join(root, 'package.json'), '{"name":"pack-app","version":"1.0.0"}');
  writeFileSync(join(root, 'hello.js'), `'use strict';\nfunction ${name}() {\n  return 'hello';\n}\nmodule.exports = { ${name} };\n`);
  writeFileSync(join(root, 'main.js'), `'use strict';\nconst h = require('./hello.js');\nconsole.log(h.${name}());\n`);
}

test('a traced program reads its entries from its pack, and a changed file is rewritten afresh', () => {
  const root = mkdtempSync(join(tmpdir(), 'mscope-pack-app-'));
  const cacheDir = mkdtempSync(join(tmpdir(), 'mscope-pack-cache-'));
  writeApp(root, 'greet');
  const env = { MSCOPE_CACHE_DIR: cacheDir };
  const cold = runFixture(root, ['main.js'], env);
  assert.equal(cold.status, 0, cold.stderr);
  assert.equal(cold.counts['fn:hello.js:greet:entry'], 1);
  const packs = readdirSync(cacheDir).filter((f) => f.startsWith('pack-'));
  assert.equal(packs.length, 1);
  const pack = join(cacheDir, packs[0]!);

  // The pack is what a warm run reads: what it holds is what runs.
  for (const f of readdirSync(cacheDir)) if (f.endsWith('.js')) rmSync(join(cacheDir, f));
  const doctored = [...parsePack(readFileSync(pack, 'utf8'))].map(([k, code]) => [k, code.replace("'hello'", "'from the pack'")] as const);
  writeFileSync(pack, formatPack(doctored), { mode: 0o600 });
  const before = readFileSync(pack, 'utf8');
  const warm = runFixture(root, ['main.js'], env);
  assert.equal(warm.status, 0, warm.stderr);
  assert.match(warm.stdout, /^from the pack$/m);
  assert.equal(warm.counts['fn:hello.js:greet:entry'], 1);
  assert.equal(readFileSync(pack, 'utf8'), before, 'a run that found every entry leaves the pack as it was');

  // A changed file has another key: the pack's entry for its old text is never used.
  writeApp(root, 'welcome');
  const changed = runFixture(root, ['main.js'], env);
  assert.equal(changed.status, 0, changed.stderr);
  assert.match(changed.stdout, /^hello$/m);
  assert.equal(changed.counts['fn:hello.js:welcome:entry'], 1);
  assert.equal(changed.counts['fn:hello.js:greet:entry'], undefined);
  assert.notEqual(readFileSync(pack, 'utf8'), before, 'the pack now holds the new entries');
});

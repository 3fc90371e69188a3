import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransformCache } from '../../src/modules/cache.js';

test('the key depends on source, module name and format', () => {
  const k = TransformCache.key('a', 'm.js', 'commonjs');
  assert.equal(k, TransformCache.key('a', 'm.js', 'commonjs'));
  assert.notEqual(k, TransformCache.key('b', 'm.js', 'commonjs'));
  assert.notEqual(k, TransformCache.key('a', 'n.js', 'commonjs'));
  assert.notEqual(k, TransformCache.key('a', 'm.js', 'module'));
});

test('entries round-trip and leave no temporary files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-cache-'));
  const c = TransformCache.open(dir, dir);
  assert.equal(c.dir, dir);
  assert.equal(c.get('k1'), undefined);
  c.set('k1', 'code');
  c.set('k2', '');
  assert.equal(c.get('k1'), 'code');
  assert.equal(c.get('k2'), '');
  assert.deepEqual(readdirSync(dir).sort(), ['k1.js', 'k2.js']);
});

test(
  'an unwritable directory falls back to the next candidate',
  { skip: process.getuid?.() === 0 ? 'root can write anywhere' : false },
  () => {
    const ro = mkdtempSync(join(tmpdir(), 'mscope-ro-'));
    chmodSync(ro, 0o500);
    const c = TransformCache.open(ro, join(ro, 'sub'));
    assert.notEqual(c.dir, join(ro, 'sub'));
  },
);

test('the default location is node_modules/.cache/mscope under the root', () => {
  const root = mkdtempSync(join(tmpdir(), 'mscope-root-'));
  const saved = process.env.MSCOPE_CACHE_DIR;
  delete process.env.MSCOPE_CACHE_DIR;
  try {
    assert.equal(TransformCache.open(root).dir, join(root, 'node_modules', '.cache', 'mscope'));
  } finally {
    if (saved !== undefined) process.env.MSCOPE_CACHE_DIR = saved;
  }
});

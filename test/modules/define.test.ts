import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineModule } from '../../src/modules/define.js';
import { registry } from '../../src/core/index.js';
import { link } from '../../src/weaver/index.js';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('defineModule keeps keys, name, length, own properties and non-function values', () => {
  function add(a: number, b: number): number {
    return a + b;
  }
  add.version = 3;
  const api = defineModule('define-shape', { add, limit: 10 });
  assert.equal(api.add(1, 2), 3);
  assert.equal(api.add.name, 'add');
  assert.equal(api.add.length, 2);
  assert.equal(api.add.version, 3);
  assert.equal(api.limit, 10);
  for (const n of ['entry', 'return', 'error']) assert.ok(registry.lookup('fn', 'define-shape', 'add', n));
});

test('generators keep their iteration semantics', () => {
  const api = defineModule('define-gen', {
    *count(n: number) {
      for (let i = 0; i < n; i++) yield i;
    },
  });
  assert.deepEqual([...api.count(3)], [0, 1, 2]);
});

test('two defineModules of one name both fire, whichever was linked first', () => {
  const first = defineModule('define-twice', { get: (k: string) => `a:${k}` });
  const second = defineModule('define-twice', { get: (k: string) => `b:${k}`, put: (k: string) => k });
  const seen: string[] = [];
  const h = link('fn:define-twice:get:return', (ev) => seen.push(String(ev.retval)));
  first.get('x');
  second.get('y');
  second.put('z');
  h.unlink();
  first.get('after');
  second.get('after');
  assert.deepEqual(seen, ['a:x', 'b:y']);
});

test('an async API: return and error fire when its promise settles, and a rejection nobody handles still ends the program', () => {
  const fixture = fileURLToPath(new URL('../fixtures/modules/define-async.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', fixture], { encoding: 'utf8' });
  assert.equal(r.stdout, 'return 4\nerror negative\n');
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /RangeError: negative/);
});

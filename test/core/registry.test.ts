import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProbeDescription, ProbeRegistry } from '../../src/core/index.js';

test('registration is idempotent and ids are dense and stable, after the dtrace provider (BEGIN 1, END 2, ERROR 3)', () => {
  const r = new ProbeRegistry();
  const a = r.register('fn', 'lib/a.js', 'f', 'entry');
  const b = r.register('fn', 'lib/a.js', 'f', 'return');
  assert.equal(r.register('fn', 'lib/a.js', 'f', 'entry'), a);
  assert.deepEqual([a.id, b.id], [4, 5]);
  assert.equal(r.get(5), b);
  assert.equal(r.get(3), undefined);
  assert.equal(r.lookup('fn', 'lib/a.js', 'f', 'return'), b);
  assert.equal(r.size, 2);
});

test('find globs every field; listeners see probes registered later', () => {
  const r = new ProbeRegistry();
  r.register('fn', 'lib/a.js', 'f', 'entry');
  const seen: string[] = [];
  const off = r.onRegister((p) => seen.push(`${p.module}:${p.func}`));
  r.register('fn', 'lib/b.js', 'g', 'entry');
  off();
  r.register('fn', 'lib/c.js', 'h', 'entry');
  assert.deepEqual(seen, ['lib/b.js:g']);
  assert.deepEqual(
    r.find(ProbeDescription.parse('fn:lib/[ab]*::entry')).map((p) => p.func),
    ['f', 'g'],
  );
});

test('skipped functions are recorded with their reason', () => {
  const r = new ProbeRegistry();
  r.skip({ provider: 'node', module: 'fs', func: 'constants', reason: 'not a function' });
  assert.deepEqual(r.skipped(), [{ provider: 'node', module: 'fs', func: 'constants', reason: 'not a function' }]);
});

// A description that names every module but none of its functions (`fn::nothing:entry`) made
// every deferred module's probes, three per function, at arm time.
test('a deferred group is made only when an armed description could match one of its functions under one of its names', () => {
  const r = new ProbeRegistry();
  const made: string[] = [];
  const group = (module: string): void =>
    r.addGroup('fn', module, ['add', 'Thing.get'], ['entry', 'return'], () => {
      made.push(module);
      for (const func of ['add', 'Thing.get']) for (const name of ['entry', 'return']) r.register('fn', module, func, name);
    });
  group('a.mjs');
  r.arm(ProbeDescription.parse('fn::nothing:entry'));
  r.arm(ProbeDescription.parse('fn:a.mjs:add:error'));
  group('b.mjs');
  assert.deepEqual(made, []);
  assert.deepEqual(
    r.names().map((p) => `${p.module}:${p.func}:${p.name}`),
    [
      'a.mjs:add:entry',
      'a.mjs:add:return',
      'a.mjs:Thing.get:entry',
      'a.mjs:Thing.get:return',
      'b.mjs:add:entry',
      'b.mjs:add:return',
      'b.mjs:Thing.get:entry',
      'b.mjs:Thing.get:return',
    ],
  );
  r.arm(ProbeDescription.parse('fn::Thing.*:return'));
  assert.deepEqual(made, ['a.mjs', 'b.mjs']);
  group('c.mjs');
  assert.deepEqual(made, ['a.mjs', 'b.mjs', 'c.mjs']);
  assert.equal(r.lookup('fn', 'c.mjs', 'Thing.get', 'return')?.func, 'Thing.get');
  assert.equal(r.names().length, 12);
});

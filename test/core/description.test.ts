import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProbeDescription, formatProbeName } from '../../src/core/index.js';

const probe = (provider: string, module: string, func: string, name: string) => ({ provider, module, func, name });

test('fewer than four fields fill from the right, as in DTrace', () => {
  const d = ProbeDescription.parse('add:entry');
  assert.deepEqual([d.provider, d.module, d.func, d.name], ['', '', 'add', 'entry']);
  assert.ok(d.matches(probe('fn', 'lib/math.js', 'add', 'entry')));
  assert.ok(!d.matches(probe('fn', 'lib/math.js', 'add', 'return')));
});

test('each field is a glob and * crosses / and .', () => {
  const d = ProbeDescription.parse('fn:lib/*:*:entry');
  assert.ok(d.matches(probe('fn', 'lib/math.js', 'add', 'entry')));
  assert.ok(d.matches(probe('fn', 'lib/a/b.ts', 'Class.m', 'entry')));
  assert.ok(!d.matches(probe('fn', 'src/math.js', 'add', 'entry')));
  assert.ok(ProbeDescription.parse('::query:').matches(probe('fn', 'db', 'query', 'return')));
  assert.ok(ProbeDescription.parse('fn:::ret?rn').matches(probe('fn', 'x', 'y', 'return')));
  assert.ok(ProbeDescription.parse('fn:::[er]*').matches(probe('fn', 'x', 'y', 'error')));
  assert.ok(!ProbeDescription.parse('fn:::[!er]*').matches(probe('fn', 'x', 'y', 'error')));
});

test('quoted fields may contain colons', () => {
  const d = ProbeDescription.parse('dc::"undici:request:create":');
  assert.equal(d.func, 'undici:request:create');
  assert.ok(d.matches(probe('dc', 'x', 'undici:request:create', 'publish')));
  assert.equal(formatProbeName(probe('dc', '', 'undici:request:create', 'publish')), 'dc::"undici:request:create":publish');
});

test('bad descriptions are rejected with a located message', () => {
  assert.throws(() => ProbeDescription.parse('a:b:c:d:e'), /at most 4/);
  assert.throws(() => ProbeDescription.parse('dc::"open'), /unterminated quote at column 5/);
});

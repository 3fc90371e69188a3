import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probe } from '../../src/providers/index.js';
import { capture } from './helpers.js';

test('a usdt probe is disabled until linked, fires its record while linked, and is disabled again after', () => {
  const q = probe('myapp', 'query-start');
  assert.equal(q, probe('myapp', 'query-start'), 'the same probe object for the same name');
  assert.equal(q.enabled, false);
  q.fire({ sql: 'ignored' });
  const cap = capture('usdt:myapp::query-start');
  assert.equal(q.enabled, true);
  if (q.enabled) q.fire({ sql: 'select 1' });
  cap.unlink();
  assert.equal(q.enabled, false);
  q.fire({ sql: 'ignored too' });
  assert.deepEqual(
    cap.events.map((e) => [e.probe.provider, e.probe.module, e.probe.name, e.args[0]]),
    [['usdt', 'myapp', 'query-start', { sql: 'select 1' }]],
  );
});

test('a description linked before the library declares its probe picks it up', () => {
  const cap = capture('usdt:lateapp::');
  const p = probe('lateapp', 'ready', 'init');
  assert.equal(p.enabled, true);
  p.fire(42);
  cap.unlink();
  assert.deepEqual(
    cap.events.map((e) => [e.probe.func, e.args[0]]),
    [['init', 42]],
  );
});

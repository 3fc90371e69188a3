import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registry } from '../../src/core/index.js';
import { configureProfile, profiling } from '../../src/providers/profile.js';
import { capture, until } from './helpers.js';
import type { ProfileRecord } from '../../src/providers/catalogue.js';

function burnCpu(ms: number): number {
  const end = Date.now() + ms;
  let x = 0;
  while (Date.now() < end) x += Math.sqrt(x + 1);
  return x;
}

test('profile-N fires sampled stacks whose top names the busy function', async () => {
  configureProfile({ flushMs: 50 });
  const cap = capture<ProfileRecord>('profile:::profile-997');
  assert.equal(profiling(), true);
  burnCpu(200);
  await until(() => cap.records().some((r) => r.stack.split('\n').some((f) => f.startsWith('burnCpu'))));
  cap.unlink();
  assert.equal(profiling(), false);
  const hits = cap.records().filter((r) => r.stack.split('\n').some((f) => f.startsWith('burnCpu')));
  assert.ok(hits.length > 10, `${hits.length} samples in burnCpu`);
  assert.ok(hits.every((r) => r.top !== '' && r.stack.split('\n')[0] === r.top));
  const ts = cap.events.map((e) => e.timestamp);
  assert.deepEqual(
    ts,
    [...ts].sort((a, b) => a - b),
    'samples keep their order and times',
  );
});

test('a profile-N probe for any N is created on demand', () => {
  assert.equal(registry.lookup('profile', '', '', 'profile-33'), undefined);
  const cap = capture('profile:::profile-33');
  assert.ok(registry.lookup('profile', '', '', 'profile-33'));
  assert.equal(cap.handle.probes().length, 1);
  cap.unlink();
  assert.equal(profiling(), false);
});

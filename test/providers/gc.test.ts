import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import { capture, until } from './helpers.js';
import type { GcRecord } from '../../src/providers/catalogue.js';
import { gcObserving } from '../../src/providers/gc.js';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('a forced GC fires start then done with kind, duration and heap sizes', async () => {
  const cap = capture<GcRecord>('gc:::');
  let garbage: unknown[] | null = Array.from({ length: 2e5 }, (_, i) => ({ i }));
  garbage = null;
  gc();
  await until(() => cap.events.length >= 2);
  cap.unlink();
  assert.equal(garbage, null);
  const major = cap.events.filter((e) => (e.args[0] as GcRecord).kind === 'mark-sweep-compact');
  assert.deepEqual(
    major.map((e) => e.probe.name),
    ['start', 'done'],
  );
  const [start, done] = major;
  const r = done!.args[0] as GcRecord;
  assert.ok(r.duration_ns > 0);
  assert.equal(done!.timestamp - start!.timestamp, r.duration_ns, 'start is synthesised at the pause start');
  assert.ok(r.heap_before_bytes > r.heap_after_bytes, `heap shrank: ${r.heap_before_bytes} -> ${r.heap_after_bytes}`);
});

test('the observer exists only while a gc probe is enabled', () => {
  assert.equal(gcObserving(), false);
  const a = capture('gc:::done');
  const b = capture('gc:::start');
  assert.equal(gcObserving(), true);
  a.unlink();
  assert.equal(gcObserving(), true);
  b.unlink();
  assert.equal(gcObserving(), false);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MONITOR, assertSameFate, countedEvents, firedEvents, reportedDrops, scratch, traced, untraced } from './harness.js';

/**
 * Memory bounds of the shm and message bindings (issue 10): what a binding queues, and what
 * a remote monitor writes, is bounded in bytes; past the bound events are dropped and
 * reported as drops, and the program's fate is that of an untraced run.
 */
const MB = 1 << 20;

test('message binding: 50 KB of copies per event do not grow the traced process past the queue bound', async () => {
  const dir = scratch();
  const out = join(dir, 'monitor.txt');
  const args = ['6000', 'return'];
  // 200 strings of 1 KB per call: each event copies 200 × strsize (256) characters, 300 MB in all.
  const env = { FAULT: 'none', PAYLOAD: '200' };
  const [run, plain] = await Promise.all([
    traced(['-q', '-o', out, '-b', 'message', '--monitor', MONITOR], args, { ...env, PEAK: join(dir, 'traced.peak') }),
    untraced(args, { ...env, PEAK: join(dir, 'plain.peak') }),
  ]);
  assertSameFate(run, plain);
  const fired = firedEvents(plain.stdout);
  const counted = countedEvents(out);
  const drops = reportedDrops(run.stderr);
  assert.equal(counted + drops, fired, `counted ${counted} + dropped ${drops} != fired ${fired}; stderr:\n${run.stderr}`);
  const grown = Number(readFileSync(join(dir, 'traced.peak'), 'utf8')) - Number(readFileSync(join(dir, 'plain.peak'), 'utf8'));
  // The queue holds at most 16 MiB, the monitor's worker at most its 64 MB heap.
  assert.ok(grown < 160 * MB, `the traced process grew ${Math.round(grown / MB)} MB past the untraced run; stderr:\n${run.stderr}`);
});

for (const b of ['shm', 'message'] as const) {
  test(`${b} binding: a monitor writing 100 KB per event is bounded by bufsize, the rest reported as drops`, async () => {
    const dir = scratch();
    const out = join(dir, 'monitor.txt');
    const args = ['3000', 'return'];
    const [run, plain] = await Promise.all([
      traced(['-q', '-o', out, '-b', b, '--monitor', MONITOR], args, { FAULT: 'flood' }),
      untraced(args),
    ]);
    assertSameFate(run, plain);
    const fired = firedEvents(plain.stdout);
    const counted = countedEvents(out);
    const drops = reportedDrops(run.stderr);
    assert.equal(counted + drops, fired, `counted ${counted} + dropped ${drops} != fired ${fired}; stderr:\n${run.stderr}`);
    assert.ok(counted > 0, `the monitor saw no event; stderr:\n${run.stderr}`);
    assert.ok(drops > 0, `3000 × 100 KB fit no 4 MiB buffer, yet nothing was dropped; stderr:\n${run.stderr}`);
    // Every event the monitor saw wrote its 100 KB: nothing it wrote was cut.
    assert.equal(statSync(out).size, counted * 100 * 1024 + `seen ${counted}\n`.length);
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configureLoop, loopState } from '../../src/providers/loop.js';
import { capture, until } from './helpers.js';
import type { LoopRecord } from '../../src/providers/catalogue.js';

function blockTheLoop(ms: number): number {
  const end = Date.now() + ms;
  let spins = 0;
  while (Date.now() < end) spins++;
  return spins;
}

test('delay and utilization fire every interval with ns values', async () => {
  configureLoop({ intervalMs: 20, blockedMs: 100 });
  const cap = capture<LoopRecord>('loop:::delay');
  const util = capture<LoopRecord>('loop:::utilization');
  await until(() => cap.events.length >= 3 && util.events.length >= 3);
  cap.unlink();
  util.unlink();
  assert.ok(cap.events.length >= 3);
  for (const r of cap.records()) assert.ok(r.delay_ns >= 0 && r.max_delay_ns >= r.delay_ns);
  for (const r of util.records()) {
    assert.ok(r.utilization >= 0 && r.utilization <= 1);
    assert.ok(r.active_ns + r.idle_ns > 0);
  }
  assert.equal(loopState().running, false);
});

test('blocked fires with the stack of the code that blocked the loop', async () => {
  configureLoop({ intervalMs: 1000, blockedMs: 60 });
  const cap = capture<LoopRecord>('loop:::blocked');
  await loopState().ready;
  // The watchdog is a thread: on a loaded machine it may miss a stall, so up to three tries.
  let stalls = 0;
  while (stalls < 3 && !cap.records().some((r) => /blockTheLoop/.test(r.stack))) {
    await new Promise((r) => setTimeout(r, 30));
    const before = cap.events.length;
    blockTheLoop(400);
    stalls++;
    await until(() => cap.events.length > before);
  }
  cap.unlink();
  // One event per stall of ours, not one per sampling period; a loaded machine may add stalls
  // of its own (the test process descheduled), which are real and carry other stacks.
  const ours = cap.records().filter((r) => /blockTheLoop/.test(r.stack));
  assert.ok(ours.length <= stalls, `${ours.length} events carry our stack after ${stalls} stalls`);
  for (const r of cap.records()) assert.ok(r.blocked_ns > 60e6, `blocked_ns ${r.blocked_ns} exceeds the threshold`);
  assert.ok(
    cap.records().some((r) => /blockTheLoop/.test(r.stack)),
    cap
      .records()
      .map((r) => r.stack)
      .join(' | '),
  );
  assert.equal(loopState().running, false);
});

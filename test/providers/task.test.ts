import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executionAsyncId } from 'node:async_hooks';
import fs from 'node:fs';
import { taskHookInstalled } from '../../src/providers/task.js';
import { capture } from './helpers.js';
import type { TaskRecord } from '../../src/providers/catalogue.js';

test('a timer fires create, start and done under one task id, with its trigger and delays', async () => {
  const cap = capture<TaskRecord>('task:Timeout::');
  let trigger = 0;
  await new Promise<void>((resolve) => {
    trigger = executionAsyncId();
    setTimeout(resolve, 5);
  });
  cap.unlink();
  const mineEvents = cap.events.filter((e) => (e.args[0] as TaskRecord).trigger_id === trigger);
  const mine = mineEvents.map((e) => e.args[0] as TaskRecord);
  assert.deepEqual(
    mineEvents.map((e) => e.probe.name),
    ['create', 'start', 'done'],
  );
  assert.equal(new Set(mine.map((r) => r.task_id)).size, 1);
  assert.ok(mine[1]!.queue_delay_ns > 0, 'start carries the time spent queued');
  assert.ok(mine[2]!.run_ns > 0, 'done carries the run time');
  assert.equal(mine[0]!.type, 'Timeout');
});

test('threadpool work (an fs callback) is seen by type', async () => {
  const cap = capture<TaskRecord>('task:FSREQCALLBACK::');
  let trigger = 0;
  await new Promise<void>((resolve) => {
    trigger = executionAsyncId();
    fs.stat('.', () => resolve());
  });
  cap.unlink();
  const id = cap.records().find((r) => r.trigger_id === trigger)?.task_id;
  const mine = cap.events.filter((e) => (e.args[0] as TaskRecord).task_id === id);
  assert.deepEqual(
    mine.map((e) => `${e.probe.module}:${e.probe.name}`),
    ['FSREQCALLBACK:create', 'FSREQCALLBACK:start', 'FSREQCALLBACK:done'],
  );
});

test('the async hook exists only while a task probe is enabled', () => {
  assert.equal(taskHookInstalled(), false);
  const cap = capture('task:PROMISE::create');
  assert.equal(taskHookInstalled(), true);
  cap.unlink();
  assert.equal(taskHookInstalled(), false);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { capture, until } from './helpers.js';
import type { ProcRecord } from '../../src/providers/catalogue.js';

const fixture = fileURLToPath(new URL('../fixtures/providers/proc-child.ts', import.meta.url));

test('uncaught and exit fire in a real child process dying of an error', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fixture], { encoding: 'utf8' });
  assert.equal(r.status, 1, 'the error still kills the process');
  assert.match(r.stderr, /TypeError: child failure/);
  const events = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ProcRecord & { probe: string });
  assert.deepEqual(
    events.map((e) => [e.probe, e.error, e.message, e.origin, e.code]),
    [
      ['uncaught', 'TypeError', 'child failure', 'uncaughtException', 0],
      ['exit', '', '', '', 1],
    ],
  );
  assert.equal(events[0]!.pid, r.pid);
});

test('spawn and child-exit fire with pid, command, args and exit code', async () => {
  const cap = capture<ProcRecord>('proc:::spawn');
  const exits = capture<ProcRecord>('proc:::child-exit');
  const child = spawn(process.execPath, ['-e', 'process.exit(3)']);
  await new Promise((r) => child.on('exit', r));
  cap.unlink();
  exits.unlink();
  assert.deepEqual(
    cap.records().map((r) => [r.pid, r.command, r.args]),
    [[child.pid, process.execPath, ['-e', 'process.exit(3)']]],
  );
  assert.deepEqual(
    exits.records().map((r) => [r.pid, r.code, r.signal]),
    [[child.pid, 3, '']],
  );
});

test('worker-start and worker-exit fire with the thread id and exit code', async () => {
  const cap = capture<ProcRecord>('proc:::worker-*');
  const w = new Worker('process.exit(2)', { eval: true });
  const id = w.threadId;
  await new Promise((r) => w.on('exit', r));
  cap.unlink();
  assert.deepEqual(cap.names(), [':worker-start', ':worker-exit']);
  assert.deepEqual(
    cap.records().map((r) => [r.thread_id, r.code]),
    [
      [id, 0],
      [id, 2],
    ],
  );
});

test('warning fires with its code and message', async () => {
  const cap = capture<ProcRecord>('proc:::warning');
  process.emitWarning('watch out', { code: 'MSCOPE_TEST' });
  await new Promise((r) => setImmediate(r));
  cap.unlink();
  assert.deepEqual(
    cap.records().map((r) => [r.error, r.message]),
    [['MSCOPE_TEST', 'watch out']],
  );
});

test('signal sees only handled signals and never keeps a signal caught', async () => {
  const before = process.listenerCount('SIGWINCH');
  assert.equal(before, 0, 'test precondition: nobody handles SIGWINCH');
  const newListeners = process.listenerCount('newListener');
  const cap = capture<ProcRecord>('proc:::signal');
  assert.equal(process.listenerCount('SIGWINCH'), before, 'no listener on a signal nobody handles');
  let handled = 0;
  const handler = (): void => {
    handled++;
  };
  process.on('SIGWINCH', handler);
  process.kill(process.pid, 'SIGWINCH');
  // Waited for, not slept on: a process descheduled past a fixed sleep runs its due timer before
  // the signal's callback (libuv's timers phase comes first).
  await until(() => handled > 0, 500);
  process.off('SIGWINCH', handler);
  // It leaves once the job that removed the last one is done (a microtask: before any signal).
  await Promise.resolve();
  assert.equal(process.listenerCount('SIGWINCH'), before, 'our listener leaves with the last application listener');
  cap.unlink();
  assert.equal(handled, 1);
  assert.deepEqual(
    cap.records().map((r) => r.signal),
    ['SIGWINCH'],
  );
  assert.equal(process.listenerCount('newListener'), newListeners);
});

test("the application's removeAllListeners of a watched signal removes them all, as untraced", async () => {
  const cap = capture<ProcRecord>('proc:::signal');
  process.on('SIGWINCH', () => {});
  process.on('SIGWINCH', () => {});
  assert.deepEqual(process.listeners('SIGWINCH').length, 2, 'the watch is not among them');
  process.removeAllListeners('SIGWINCH');
  assert.deepEqual(process.listeners('SIGWINCH'), []);
  await Promise.resolve();
  assert.equal(process.listenerCount('SIGWINCH'), 0);
  cap.unlink();
});

test('disabled proc probes leave no listener behind', () => {
  const counts = () =>
    ['exit', 'warning', 'uncaughtExceptionMonitor', 'newListener', 'removeListener'].map((e) => process.listenerCount(e));
  const before = counts();
  const cap = capture('proc:::');
  assert.notDeepEqual(counts(), before);
  cap.unlink();
  assert.deepEqual(counts(), before);
});

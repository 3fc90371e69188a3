import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { installThreadIdView, recordOwnThread, startOwnThread, visibleThreadId } from '../../src/core/thread-ids.js';

// One process-wide table, so the cases below build on each other in order.
test("an id is shown less one for each of microScope's threads numbered before it", () => {
  assert.equal(visibleThreadId(0), 0);
  assert.equal(visibleThreadId(-1), -1, 'a stopped worker keeps -1');
  recordOwnThread(1000);
  recordOwnThread(1002);
  recordOwnThread(1002);
  assert.equal(visibleThreadId(999), 999);
  assert.equal(visibleThreadId(1001), 1000);
  assert.equal(visibleThreadId(1003), 1001, 'recorded twice, counted once');
});

test(
  "a thread of ours is not shown to the program's 'worker' listeners, and process.emit is as it was after",
  { timeout: 30_000 },
  async () => {
    const seen: Worker[] = [];
    const listener = (w: Worker): void => void seen.push(w);
    process.on('worker', listener);
    try {
      const ours = startOwnThread(() => new Worker('0', { eval: true }));
      const theirs = new Worker('0', { eval: true });
      await Promise.all([ours, theirs].map((w) => new Promise((resolve) => w.once('exit', resolve))));
      assert.deepEqual(seen, [theirs]);
      assert.equal(Object.hasOwn(process, 'emit'), false, 'the inherited process.emit is back');
    } finally {
      process.off('worker', listener);
    }
  },
);

test(
  "a library that wraps process.emit meanwhile keeps working, and ours still hides our thread's event",
  { timeout: 30_000 },
  async () => {
    const seen: string[] = [];
    const listener = (w: Worker): void => void seen.push(w === ours ? 'ours' : 'theirs');
    process.on('worker', listener);
    const ours = startOwnThread(() => new Worker('0', { eval: true }));
    const wrapped = process.emit;
    // As signal-exit does: its own emit over whatever was there.
    process.emit = function (this: NodeJS.Process, ...args: Parameters<typeof process.emit>) {
      return wrapped.apply(this, args);
    } as typeof process.emit;
    try {
      const theirs = new Worker('0', { eval: true });
      await Promise.all([ours, theirs].map((w) => new Promise((resolve) => w.once('exit', resolve))));
      assert.deepEqual(seen, ['theirs']);
      const second = startOwnThread(() => new Worker('0', { eval: true }));
      await new Promise((resolve) => second.once('exit', resolve));
      assert.deepEqual(seen, ['theirs']);
      // The library unwraps, taking ours with it: the next thread of ours is hidden all the same.
      delete (process as { emit?: unknown }).emit;
      const third = startOwnThread(() => new Worker('0', { eval: true }));
      await new Promise((resolve) => third.once('exit', resolve));
      assert.deepEqual(seen, ['theirs']);
      assert.equal(Object.hasOwn(process, 'emit'), false);
    } finally {
      process.off('worker', listener);
      delete (process as { emit?: unknown }).emit;
    }
  },
);

const ended = (w: Worker): Promise<unknown> => new Promise((resolve) => w.once('exit', resolve));

test(
  "with the view, the program's workers are numbered as untraced, and Node's records of ours and theirs never collide",
  { timeout: 30_000 },
  async () => {
    installThreadIdView();
    const first = startOwnThread(() => new Worker('setTimeout(() => {}, 50)', { eval: true }));
    const second = startOwnThread(() => new Worker('setTimeout(() => {}, 50)', { eval: true }));
    const oursEnded = Promise.all([ended(first), ended(second)]);
    const theirs = new Worker(`require('worker_threads').parentPort.postMessage(require('worker_threads').threadId);`, { eval: true });
    // Read before any await: a worker that has exited reads -1, and its exit can come with its message.
    const outside = theirs.threadId;
    const theirsEnded = ended(theirs);
    const inside = (await new Promise((resolve) => theirs.once('message', resolve))) as number;
    // Node removes each worker's messaging port by its threadId at its exit: a shared key crashed the program here.
    await Promise.all([oursEnded, theirsEnded]);
    assert.ok((first as unknown as { threadId: number }).threadId === -1, 'ours has ended');
    // No agent runs in it here, so inside it reads the id Node gave it.
    assert.equal(outside, visibleThreadId(inside));
    assert.ok(outside <= inside - 2, 'at least the two of ours just started were numbered before it');
  },
);

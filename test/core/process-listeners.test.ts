import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { onProcess, programListens } from '../../src/core/index.js';

// SIGWINCH: ignored by default, so a listener that went deaf fails the test instead of ending it.
const SIG = 'SIGWINCH';
/** Raises SIG and waits up to 2 s for `heard()` to change (signal handles do not keep the loop alive). */
const raise = async (heard: () => number): Promise<void> => {
  const was = heard();
  process.kill(process.pid, SIG);
  for (let i = 0; i < 200 && heard() === was; i++) await sleep(10);
};

test('a listener added with onProcess is hidden from listeners() and rawListeners(), and not counted beside others', () => {
  const ours = (): void => {};
  const remove = onProcess('exit', ours, 'once');
  assert.ok(!process.listeners('exit').includes(ours));
  assert.ok(!process.rawListeners('exit').some((l) => l === ours || (l as { listener?: unknown }).listener === ours));
  const theirs = (): void => {};
  process.on('exit', theirs);
  assert.ok(process.listeners('exit').includes(theirs));
  assert.equal(process.listenerCount('exit'), process.listeners('exit').length);
  process.removeListener('exit', theirs);
  remove();
  assert.equal(process.listenerCount('exit', ours), 0);
});

test("a hidden signal listener keeps hearing its signal alone, and after the program's own came and went", async () => {
  let heard = 0;
  const remove = onProcess(SIG, () => void heard++);
  assert.equal(process.listenerCount(SIG), 1, 'counted when alone: Node keeps the signal handle open');
  assert.equal(programListens(SIG), false);
  assert.deepEqual(process.listeners(SIG), []);
  const theirs = (): void => {};
  process.on(SIG, theirs);
  assert.equal(process.listenerCount(SIG), 1, 'only the program’s counted beside it');
  assert.equal(programListens(SIG), true);
  assert.deepEqual(process.listeners(SIG), [theirs]);
  process.removeListener(SIG, theirs);
  const heardBefore = heard;
  await raise(() => heard);
  assert.equal(heard, heardBefore + 1);
  remove();
  assert.equal(process.listenerCount(SIG), 0);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { perEventNs, type Chunk } from '../../src/consumer/calibration.js';

const chunks = (wall: number[], cpu: number[]): Chunk[] => wall.map((w, i) => ({ wallNs: w, cpuNs: cpu[i]! }));

test('direct: an event costs the difference of the CPU means, so that a chunk that paid for a collection counts', () => {
  const on = chunks([1000, 1000, 1000, 90_000], [1000, 1000, 1000, 4000]);
  const off = chunks([900, 900, 900, 900], [900, 900, 900, 900]);
  assert.equal(perEventNs('direct', on, off, 10, 'process'), (1750 - 900) / 10);
  assert.equal(perEventNs('direct', on, off, 10, 'thread'), (1750 - 900) / 10);
});

test('shm and message: the difference of the wall-clock medians where the CPU clock is the process one, which their worker runs on too', () => {
  const on = chunks([1000, 1000, 1000, 90_000], [5000, 5000, 5000, 5000]);
  const off = chunks([900, 900, 900, 900], [900, 900, 900, 900]);
  assert.equal(perEventNs('shm', on, off, 10, 'process'), 10);
  assert.equal(perEventNs('message', on, off, 10, 'process'), 10);
});

test('shm and message: the CPU means where the CPU clock is this thread alone', () => {
  const on = chunks([1000, 1000, 1000, 90_000], [1000, 1000, 1000, 4000]);
  const off = chunks([900, 900, 900, 900], [900, 900, 900, 900]);
  assert.equal(perEventNs('shm', on, off, 10, 'thread'), (1750 - 900) / 10);
});

test('a probe that measured cheaper than nothing costs 0', () => {
  const on = chunks([900], [900]);
  const off = chunks([1000], [1000]);
  assert.equal(perEventNs('direct', on, off, 10, 'process'), 0);
});

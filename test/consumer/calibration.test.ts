import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibration, measure, perEvent, settled, type Chunk, type EventCost } from '../../src/consumer/calibration.js';

const chunks = (wall: number[], cpu: number[]): Chunk[] => wall.map((w, i) => ({ wallNs: w, cpuNs: cpu[i]! }));

test('direct: an event costs the difference of the CPU means, so that a chunk that paid for a collection counts', () => {
  const on = chunks([1000, 1000, 1000, 90_000], [1000, 1000, 1000, 4000]);
  const off = chunks([900, 900, 900, 900], [900, 900, 900, 900]);
  assert.equal(perEvent('direct', on, off, 10, 'process').ns, (1750 - 900) / 10);
  assert.equal(perEvent('direct', on, off, 10, 'thread').ns, (1750 - 900) / 10);
});

test('shm and message: the difference of the wall-clock medians where the CPU clock is the process one, which their worker runs on too', () => {
  const on = chunks([1000, 1000, 1000, 90_000], [5000, 5000, 5000, 5000]);
  const off = chunks([900, 900, 900, 900], [900, 900, 900, 900]);
  assert.equal(perEvent('shm', on, off, 10, 'process').ns, 10);
  assert.equal(perEvent('message', on, off, 10, 'process').ns, 10);
});

test('shm and message: the CPU means where the CPU clock is this thread alone', () => {
  const on = chunks([1000, 1000, 1000, 90_000], [1000, 1000, 1000, 4000]);
  const off = chunks([900, 900, 900, 900], [900, 900, 900, 900]);
  assert.equal(perEvent('shm', on, off, 10, 'thread').ns, (1750 - 900) / 10);
});

test('a probe that measured cheaper than nothing costs 0', () => {
  const on = chunks([900], [900]);
  const off = chunks([1000], [1000]);
  assert.equal(perEvent('direct', on, off, 10, 'process').ns, 0);
});

test('a figure measured on a busy machine is used, kept, and measured again by the next run, which keeps the more precise', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'mscope-calibration-'));
  const saved = process.env.MSCOPE_CACHE_DIR;
  process.env.MSCOPE_CACHE_DIR = cache;
  try {
    const measured: EventCost[] = [];
    const measuring =
      (...figures: EventCost[]) =>
      async (): Promise<EventCost> => {
        const f = figures[measured.length]!;
        measured.push(f);
        return f;
      };
    const busy = { ns: 90, halfWidth: 70 };
    assert.equal(settled(busy.ns, busy.halfWidth), false);
    assert.deepEqual(await calibration(['direct'], measuring(busy)), { ns: { direct: 90 }, halfWidth: { direct: 70 } });
    // Measured again: a figure less precise than the kept one does not replace it.
    measured.length = 0;
    assert.deepEqual(await calibration(['direct'], measuring({ ns: 10, halfWidth: 60 })), {
      ns: { direct: 90 },
      halfWidth: { direct: 70 },
    });
    measured.length = 0;
    assert.deepEqual(await calibration(['direct'], measuring({ ns: 28, halfWidth: 4 })), { ns: { direct: 28 }, halfWidth: { direct: 4 } });
    assert.equal(measured.length, 1);
    // Settled: read from the cache, not measured.
    measured.length = 0;
    assert.deepEqual(await calibration(['direct'], measuring()), { ns: { direct: 28 }, halfWidth: { direct: 4 } });
    assert.equal(measured.length, 0);
    assert.equal(JSON.parse(readFileSync(join(cache, 'probe-effect.json'), 'utf8')).halfWidth.direct, 4);
  } finally {
    if (saved === undefined) delete process.env.MSCOPE_CACHE_DIR;
    else process.env.MSCOPE_CACHE_DIR = saved;
    rmSync(cache, { recursive: true, force: true });
  }
});

test('settled: within 5 ns, or within a third of the figure', () => {
  assert.equal(settled(3, 5), true);
  assert.equal(settled(30, 10), true);
  assert.equal(settled(30, 10.5), false);
  assert.equal(settled(300, 90), true);
  assert.equal(settled(8.5, 18.6), false);
});

test('the half-width says how far the chunks disagree', () => {
  const quiet = chunks([1, 1, 1, 1], [1010, 1000, 1005, 1008]);
  const quietOff = chunks([1, 1, 1, 1], [900, 905, 902, 901]);
  const noisy = chunks([1, 1, 1, 1], [1010, 3000, 1005, 9000]);
  assert.ok(perEvent('direct', quiet, quietOff, 10, 'thread').halfWidth < 2);
  assert.ok(perEvent('direct', noisy, quietOff, 10, 'thread').halfWidth > 100);
});

test('the calibration times a real program: a rewritten copy of acorn parsing, every function probed', async () => {
  const figure = await measure('direct');
  assert.ok(Number.isFinite(figure.ns) && figure.ns >= 0, `ns ${figure.ns}`);
  assert.ok(Number.isFinite(figure.halfWidth) && figure.halfWidth > 0, `half-width ${figure.halfWidth}`);
});

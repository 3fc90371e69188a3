import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibration, measure, perEvent, settled, type Chunk, type Figures } from '../../src/consumer/calibration.js';

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
    const measured: Figures[] = [];
    const measuring =
      (...figures: Figures[]) =>
      async (): Promise<Figures> => {
        const f = figures[measured.length]!;
        measured.push(f);
        return f;
      };
    const busy = { ns: 90, halfWidth: 70 };
    assert.equal(settled(busy.ns, busy.halfWidth), false);
    assert.deepEqual(await calibration(['direct'], measuring(busy)), {
      ns: { direct: 90 },
      halfWidth: { direct: 70 },
      batchNs: {},
      batchHalfWidth: {},
    });
    // Measured again: a figure less precise than the kept one does not replace it.
    measured.length = 0;
    assert.deepEqual(await calibration(['direct'], measuring({ ns: 10, halfWidth: 60 })), {
      ns: { direct: 90 },
      halfWidth: { direct: 70 },
      batchNs: {},
      batchHalfWidth: {},
    });
    measured.length = 0;
    assert.deepEqual(await calibration(['direct'], measuring({ ns: 28, halfWidth: 4 })), {
      ns: { direct: 28 },
      halfWidth: { direct: 4 },
      batchNs: {},
      batchHalfWidth: {},
    });
    assert.equal(measured.length, 1);
    // Settled: read from the cache, not measured.
    measured.length = 0;
    assert.deepEqual(await calibration(['direct'], measuring()), {
      ns: { direct: 28 },
      halfWidth: { direct: 4 },
      batchNs: {},
      batchHalfWidth: {},
    });
    assert.equal(measured.length, 0);
    assert.equal(JSON.parse(readFileSync(join(cache, 'probe-effect.json'), 'utf8')).halfWidth.direct, 4);
  } finally {
    if (saved === undefined) delete process.env.MSCOPE_CACHE_DIR;
    else process.env.MSCOPE_CACHE_DIR = saved;
    rmSync(cache, { recursive: true, force: true });
  }
});

test('the message binding keeps a figure per batch beside its figure per event, and is measured again while it lacks one', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'mscope-calibration-'));
  const saved = process.env.MSCOPE_CACHE_DIR;
  process.env.MSCOPE_CACHE_DIR = cache;
  try {
    let measured = 0;
    const measuring = (f: Figures) => async (): Promise<Figures> => {
      measured++;
      return f;
    };
    // A figure per event alone (as a measure that failed to time batches would leave): measured again.
    await calibration(['message'], measuring({ ns: 60, halfWidth: 3 }));
    const full = { ns: 62, halfWidth: 2, batch: { ns: 11_000, halfWidth: 900 } };
    assert.deepEqual(await calibration(['message'], measuring(full)), {
      ns: { message: 62 },
      halfWidth: { message: 2 },
      batchNs: { message: 11_000 },
      batchHalfWidth: { message: 900 },
    });
    assert.equal(measured, 2);
    await calibration(['message'], measuring(full));
    assert.equal(measured, 2, 'both settled: read from the cache');
    // direct posts no batches: its figure per event is enough.
    await calibration(['direct'], measuring({ ns: 16, halfWidth: 1 }));
    await calibration(['direct'], measuring({ ns: 16, halfWidth: 1 }));
    assert.equal(measured, 3);
  } finally {
    if (saved === undefined) delete process.env.MSCOPE_CACHE_DIR;
    else process.env.MSCOPE_CACHE_DIR = saved;
    rmSync(cache, { recursive: true, force: true });
  }
});

test('message: measured on the real parser, with what a batch of one event costs beyond the event', async () => {
  const f = await measure('message');
  assert.ok(f.batch !== undefined && Number.isFinite(f.batch.ns) && Number.isFinite(f.batch.halfWidth), JSON.stringify(f));
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
  assert.equal(figure.batch, undefined, 'direct posts no batches');
});

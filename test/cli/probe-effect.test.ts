import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ROOT, mscope } from './mscope.js';
import { CALIBRATION_METHOD } from '../../src/consumer/calibration.js';

const APP = join(FIXTURES, 'esm');
const SCRIPT = 'fn::add:entry { @ = count(); }';
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const LINE =
  /^mscope: probe effect: (\d+) events? \(([^)]*)\), ~([\d.]+) (ns|µs|ms|s) added to the application's threads \(([^)]*)\), (\d+) drops?, (\d+) faults?$/m;
const UNIT = { ns: 1, µs: 1e3, ms: 1e6, s: 1e9 } as const;

async function run(cache: string, ...args: string[]): Promise<{ stderr: string; status: number | null }> {
  return mscope(['run', ...args, '-e', SCRIPT, '--', 'node', 'app.mjs'], APP, { MSCOPE_CACHE_DIR: cache });
}

function fresh(): string {
  return mkdtempSync(join(tmpdir(), 'mscope-effect-test-'));
}

/**
 * Parses the line and checks that its parts agree: counts sum to the total, the estimate is
 * counts × ns/event, plus batches × ns/batch where a binding posts batches.
 */
function parse(stderr: string): {
  events: number;
  counts: Map<string, number>;
  ns: Map<string, number>;
  batches: Map<string, { count: number; ns: number }>;
  addedNs: number;
} {
  const m = LINE.exec(stderr);
  assert.ok(m, `no probe-effect line in ${stderr}`);
  const counts = new Map([...m[2]!.matchAll(/(\w+) (\d+)/g)].map((x) => [x[1]!, Number(x[2])]));
  const ns = new Map([...m[5]!.matchAll(/(\w+) (\d+) ns\/event/g)].map((x) => [x[1]!, Number(x[2])]));
  const batches = new Map(
    [...m[5]!.matchAll(/(\w+) \d+ ns\/event(?: ± \d+)? \+ (\d+) batch(?:es)? × ([\d.]+) (ns|µs|ms|s)/g)].map((x) => [
      x[1]!,
      { count: Number(x[2]), ns: Number(x[3]) * UNIT[x[4] as keyof typeof UNIT] },
    ]),
  );
  const events = Number(m[1]);
  assert.equal(
    [...counts.values()].reduce((a, b) => a + b, 0),
    events,
  );
  assert.deepEqual([...ns.keys()], [...counts.keys()]);
  const addedNs = Number(m[3]) * UNIT[m[4] as keyof typeof UNIT];
  // The ns/event shown are rounded to whole ns, ns/batch and the estimate to three figures.
  const byBatch = [...batches.values()].reduce((t, b) => t + b.count * b.ns, 0);
  const expected = [...counts].reduce((t, [k, n]) => t + n * ns.get(k)!, 0) + byBatch;
  const slack = events * 0.5 + byBatch * 0.005 + expected * 0.005 + 0.5;
  assert.ok(Math.abs(addedNs - expected) <= slack, `estimate ${addedNs} ns is not ${expected} ± ${slack}`);
  return { events, counts, ns, batches, addedNs };
}

test('every run ends with one probe-effect line whose numbers agree with the events fired', async () => {
  const cache = fresh();
  try {
    for (const binding of ['direct', 'shm'] as const) {
      const r = await run(cache, '-b', binding);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr.match(/probe effect/g)?.length, 1, r.stderr);
      const line = parse(r.stderr);
      assert.deepEqual([...line.counts], [[binding, 3]]);
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('the estimate is the events times the cached ns/event of their binding', async () => {
  const cache = fresh();
  try {
    const cached = { node: process.version, mscope: VERSION, method: CALIBRATION_METHOD, ns: { direct: 1000 }, halfWidth: { direct: 10 } };
    writeFileSync(join(cache, 'probe-effect.json'), JSON.stringify(cached), { mode: 0o600 });
    const r = await run(cache);
    assert.match(
      r.stderr,
      /^mscope: probe effect: 3 events \(direct 3\), ~3\.00 µs added to the application's threads \(direct 1000 ns\/event\), 0 drops, 0 faults$/m,
    );
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('the message binding adds its batches: events × ns/event + batches × ns/batch', async () => {
  const cache = fresh();
  try {
    const cached = {
      node: process.version,
      mscope: VERSION,
      method: CALIBRATION_METHOD,
      ns: { message: 1000 },
      halfWidth: { message: 10 },
      batchNs: { message: 1e6 },
      batchHalfWidth: { message: 1e4 },
    };
    writeFileSync(join(cache, 'probe-effect.json'), JSON.stringify(cached), { mode: 0o600 });
    const r = await run(cache, '-b', 'message');
    assert.equal(r.status, 0, r.stderr);
    const line = parse(r.stderr);
    assert.deepEqual([...line.counts], [['message', 3]]);
    const batches = line.batches.get('message');
    assert.ok(batches !== undefined && batches.ns === 1e6, r.stderr);
    // Three events, each in a turn of the event loop of its own or sharing one.
    assert.ok(batches.count >= 1 && batches.count <= 3, r.stderr);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('the calibration cache is private, and measured again when corrupt, of another version or a symbolic link', async () => {
  const cache = fresh();
  const file = join(cache, 'probe-effect.json');
  const outside = join(cache, '..', `${cache.split('/').pop()}-outside`);
  try {
    const readCache = (): { node: string; mscope: string; method: number; ns: Record<string, number> } =>
      JSON.parse(readFileSync(file, 'utf8'));
    let r = await run(cache);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(lstatSync(cache).mode & 0o777, 0o700);
    assert.equal(lstatSync(file).mode & 0o777, 0o600);
    assert.equal(typeof readCache().ns.direct, 'number');

    writeFileSync(file, '{"node": "v', { mode: 0o600 });
    r = await run(cache);
    parse(r.stderr);
    assert.equal(typeof readCache().ns.direct, 'number');

    writeFileSync(
      file,
      JSON.stringify({ node: 'v0.0.1', mscope: VERSION, method: CALIBRATION_METHOD, ns: { direct: 1000 }, halfWidth: { direct: 10 } }),
      {
        mode: 0o600,
      },
    );
    r = await run(cache);
    assert.doesNotMatch(r.stderr, /direct 1000 ns\/event/);
    assert.equal(readCache().node, process.version);

    // A figure of an earlier calibration method (version 1 wrote none) is measured again.
    writeFileSync(file, JSON.stringify({ node: process.version, mscope: VERSION, ns: { direct: 1000 }, halfWidth: { direct: 10 } }), {
      mode: 0o600,
    });
    r = await run(cache);
    assert.doesNotMatch(r.stderr, /direct 1000 ns\/event/);
    assert.equal(readCache().method, CALIBRATION_METHOD);

    rmSync(file);
    writeFileSync(
      outside,
      JSON.stringify({
        node: process.version,
        mscope: VERSION,
        method: CALIBRATION_METHOD,
        ns: { direct: 1000 },
        halfWidth: { direct: 10 },
      }),
    );
    symlinkSync(outside, file);
    r = await run(cache);
    assert.doesNotMatch(r.stderr, /direct 1000 ns\/event/);
    assert.ok(lstatSync(file).isFile(), 'the symbolic link was replaced by a file of our own');
    assert.equal(JSON.parse(readFileSync(outside, 'utf8')).ns.direct, 1000, 'the file it pointed to is untouched');
  } finally {
    rmSync(cache, { recursive: true, force: true });
    rmSync(outside, { force: true });
  }
});

test('-q leaves the probe-effect line out', async () => {
  const cache = fresh();
  try {
    const r = await run(cache, '-q');
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /probe effect/);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIELDS, type AcctRecord } from '../../src/accounting/index.js';
import { ExploreData, binEdges, binOf } from '../../src/ui/index.js';

/** A finished record with every field 0 but those given. */
function record(id: number, fields: Partial<Record<string, number>>, metrics: Record<string, number> = {}): AcctRecord {
  const r: Record<string, unknown> = { id, token: 'GET /', start_ns: id * 1e6, done: true, metrics };
  for (const f of FIELDS) r[f.name] = fields[f.name] ?? 0;
  return r as AcctRecord;
}

/** 90 fast activities spending their time in cpu, 10 slow ones in dns, a metric on each. */
function store(): AcctRecord[] {
  const out: AcctRecord[] = [];
  for (let i = 1; i <= 100; i++) {
    const slow = i % 10 === 0;
    out.push(
      record(i, { latency_ns: slow ? 50e6 + i : 1e6 + i, cpu_ns: slow ? 0.9e6 : 0.8e6, dns_ns: slow ? 45e6 : 0 }, { rows: slow ? 1 : 5 }),
    );
  }
  return out;
}

test('axes are latency, the subsystem times some activity spent, then the metrics', () => {
  const d = new ExploreData(store(), { path: 's.db', run: null });
  assert.deepEqual(
    d.axes.map((a) => [a.name, a.subsystem, a.unit]),
    [
      ['latency_ns', 'latency', 'ns'],
      ['cpu_ns', 'cpu', 'ns'],
      ['dns_ns', 'dns', 'ns'],
      ['metric:rows', 'metric', ''],
    ],
  );
  assert.deepEqual(d.meta().axes[2], { name: 'dns_ns', subsystem: 'dns', unit: 'ns', min: 0, max: 45e6 });
});

test('a slow band is compared with the rest, and the subsystem that differs most is named', () => {
  const d = new ExploreData(store(), { path: 's.db', run: null });
  const r = d.select({ band: [10e6, 100e6] });
  assert.equal(r.selected, 10);
  assert.equal(r.filtered, 100);
  assert.deepEqual(r.differsMost, { subsystem: 'dns', axis: 'dns_ns', deltaMedian: 45e6 });
  const cpu = r.comparison.find((c) => c.axis === 'cpu_ns')!;
  assert.deepEqual(cpu.selected, { median: 0.9e6, p99: 0.9e6 });
  assert.deepEqual(cpu.rest, { median: 0.8e6, p99: 0.8e6 });
  assert.deepEqual(
    r.rows.map((row) => row.id),
    [100, 90, 80, 70, 60, 50, 40, 30, 20, 10],
  );
  assert.equal(d.select({}).differsMost, null, 'nothing selected apart from everything: nothing to compare');
});

test('an axis filter narrows the histogram; the band only marks its bins', () => {
  const d = new ExploreData(store(), { path: 's.db', run: null });
  const all = d.select({ bins: 10 });
  assert.equal(
    all.histogram.counts.reduce((s, c) => s + c, 0),
    100,
  );
  assert.equal(all.histogram.counts[0], 90);
  assert.equal(all.histogram.counts[9], 10);
  const few = d.select({ bins: 10, filters: { 'metric:rows': [[0, 2]] }, band: [0, 2e6] });
  assert.equal(few.filtered, 10);
  assert.equal(few.selected, 0);
  assert.deepEqual(few.histogram.counts, [0, 0, 0, 0, 0, 0, 0, 0, 0, 10]);
  assert.deepEqual(few.histogram.selected, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const two = d.select({
    bins: 10,
    filters: {
      dns_ns: [
        [-1, 1],
        [40e6, 50e6],
      ],
    },
  });
  assert.equal(two.filtered, 100, 'an activity inside any interval of an axis passes');
  assert.throws(() => d.select({ filters: { nope_ns: [[0, 1]] } }), /no axis nope_ns/);
});

test('bins: linear and log edges span the range, and every value falls in one bin', () => {
  assert.deepEqual(binEdges('linear', 0, 100, 4), [0, 25, 50, 75, 100]);
  const log = binEdges('log', 1e3, 1e9, 6);
  assert.equal(log.length, 7);
  assert.equal(log[0], 1e3);
  assert.equal(log[6], 1e9);
  assert.ok(Math.abs(log[3]! - 1e6) < 1, 'log bins have equal ratios');
  assert.equal(binOf([0, 25, 50, 75, 100], 0), 0);
  assert.equal(binOf([0, 25, 50, 75, 100], 25), 1);
  assert.equal(binOf([0, 25, 50, 75, 100], 100), 3, 'the last bin is closed');
});

test('lines: a large store is sampled evenly and keeps its slowest activities', () => {
  const d = new ExploreData(store(), { path: 's.db', run: null });
  assert.equal(d.lines(1000).values.length, 100);
  const sample = d.lines(20);
  assert.equal(sample.sampled, true);
  assert.ok(sample.ids.length <= 20 && sample.ids.length >= 15, `${sample.ids.length} lines`);
  assert.ok(sample.ids.includes(100) && sample.ids.includes(90), 'the two slowest are kept');
  assert.deepEqual(sample.axes, ['latency_ns', 'cpu_ns', 'dns_ns', 'metric:rows']);
  assert.equal(d.activity(10)?.dns_ns, 45e6);
  assert.equal(d.activity(1000), undefined);
});

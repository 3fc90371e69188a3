import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunReport } from '../../src/consumer/run-report.js';

const link = (description: string, probes: number, events: number, faults = 0, drops = 0) => ({
  description,
  probes,
  events,
  faults,
  drops,
  bindings: { direct: events },
});

test('stats of several processes add up; a description unmatched in one process but matched in another is fine', () => {
  const r = new RunReport(['m.ts']);
  r.add(1, { t: 'stats', monitor: 'm.ts', links: [link('fn:a::', 2, 10), link('fn:b::', 0, 0)] });
  r.add(2, { t: 'stats', monitor: 'm.ts', links: [link('fn:a::', 3, 5, 2, 1), link('fn:b::', 1, 1)], firstFault: 'Error: x' });
  assert.deepEqual(r.lines(false), {
    lines: [
      'mscope: monitor m.ts faulted 2 times (first: Error: x)',
      'mscope: monitor m.ts dropped 1 events',
      'mscope: monitor m.ts: 16 events in 2 processes',
    ],
    failed: false,
  });
});

test('unmatched descriptions and repeated faults are reported once each', () => {
  const r = new RunReport(['m.ts']);
  for (const pid of [1, 2]) {
    r.add(pid, { t: 'stats', monitor: 'm.ts', links: [link('fn:nope::', 0, 0)] });
    r.add(pid, { t: 'fault', monitor: 'm.ts', message: 'monitor m.ts threw in finish: Error: y' });
  }
  assert.deepEqual(r.lines(true), {
    lines: [
      'mscope: monitor m.ts threw in finish: Error: y (in 2 processes)',
      'mscope: monitor m.ts: probe description "fn:nope::" matched no probes',
    ],
    failed: true,
  });
});

test('the probe effect adds events by binding, drops and faults over every process and link', () => {
  const r = new RunReport(['m.ts']);
  r.add(1, { t: 'stats', monitor: 'm.ts', links: [link('fn:a::', 2, 10, 1, 2)] });
  r.add(2, { t: 'stats', monitor: 'm.ts', links: [{ ...link('fn:a::', 1, 7, 0, 1), bindings: { direct: 3, message: 4 } }] });
  const e = r.effect();
  assert.deepEqual([...e.events].sort(), [
    ['direct', 13],
    ['message', 4],
  ]);
  assert.equal(e.drops, 3);
  assert.equal(e.faults, 1);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { link, onFault } from '../../src/weaver/index.js';
import { registry, type ProbeEvent } from '../../src/core/index.js';
import { defineModule } from '../../src/modules/define.js';

let n = 0;
const uniq = (base: string): string => `${base}-${++n}-${process.pid}`;

test('a monitor sees entry and return with args, this and retval; unlink restores the plain path', () => {
  const name = uniq('math');
  const api = defineModule(name, {
    scale(this: { k: number } | void, x: number) {
      return x * (this && 'k' in this ? this.k : 1);
    },
  });
  const seen: string[] = [];
  const h = link(`fn:${name}:scale:`, (ev: ProbeEvent) => seen.push(`${ev.probe.name}:${JSON.stringify(ev.args)}:${String(ev.retval)}`));
  const obj = { k: 3, scale: api.scale };
  assert.equal(obj.scale(2), 6);
  assert.deepEqual(seen, ['entry:[2]:undefined', 'return:[2]:6']);
  assert.equal(h.stats.events, 2);
  h.unlink();
  assert.equal(obj.scale(2), 6);
  assert.equal(seen.length, 2);
  assert.equal(registry.lookup('fn', name, 'scale', 'entry')!.enabled, false);
});

test('several monitors on one probe run in link order', () => {
  const name = uniq('order');
  const api = defineModule(name, { f: () => 1 });
  const order: number[] = [];
  const a = link(`fn:${name}:f:entry`, () => order.push(1));
  const b = link(`fn:${name}:f:entry`, () => order.push(2));
  api.f();
  a.unlink();
  api.f();
  b.unlink();
  assert.deepEqual(order, [1, 2, 2]);
});

test('a description stays armed for modules defined after the link', () => {
  const name = uniq('late');
  let count = 0;
  const h = link(`fn:${name}::entry`, () => count++);
  const api = defineModule(name, { g: () => 2, h: () => 3 });
  api.g();
  api.h();
  assert.equal(count, 2);
  assert.equal(h.probes().length, 2);
  h.unlink();
});

test('a throwing monitor is counted and reported, never reaches the application, and stays linked', async () => {
  const name = uniq('faulty');
  const api = defineModule(name, { f: (x: number) => x + 1 });
  const reports: number[] = [];
  const off = onFault((r) => reports.push(r.faults));
  const h = link(`fn:${name}:f:entry`, () => {
    throw new Error('monitor bug');
  });
  assert.equal(api.f(1), 2);
  assert.equal(api.f(2), 3);
  await new Promise((r) => setImmediate(r));
  off();
  assert.equal(h.stats.faults, 2);
  assert.deepEqual(reports, [1, 2]);
  assert.equal(h.linked, true);
  h.unlink();
});

test('errors and rejections fire the error probe and propagate unchanged', async () => {
  const name = uniq('errs');
  const boom = new TypeError('boom');
  const api = defineModule(name, {
    sync() {
      throw boom;
    },
    async later() {
      await null;
      throw boom;
    },
  });
  const errors: unknown[] = [];
  const h = link(`fn:${name}::error`, (ev) => errors.push(ev.error));
  assert.throws(
    () => api.sync(),
    (e) => e === boom,
  );
  await assert.rejects(api.later(), (e) => e === boom);
  assert.deepEqual(errors, [boom, boom]);
  h.unlink();
});

test('return of a promise-returning function fires on settle with the resolved value and elapsed time', async () => {
  const name = uniq('async');
  const api = defineModule(name, {
    async slow(x: number) {
      await new Promise((r) => setTimeout(r, 5));
      return x * 2;
    },
  });
  const got: Array<[unknown, boolean]> = [];
  const h = link(`fn:${name}:slow:return`, (ev) => got.push([ev.retval, ev.elapsed > 0]));
  assert.equal(await api.slow(4), 8);
  assert.deepEqual(got, [[8, true]]);
  h.unlink();
});

test('relink keeps the link, its position and its counts', () => {
  const name = uniq('relink');
  const api = defineModule(name, { f: () => 0 });
  let count = 0;
  const h = link(`fn:${name}:f:entry`, () => count++);
  api.f();
  h.relink({ binding: 'direct' });
  api.f();
  assert.equal(count, 2);
  assert.equal(h.stats.events, 2);
  h.unlink();
});

test('an unknown binding is a typed error', () => {
  assert.throws(
    () => link('fn:::', () => {}, { binding: 'carrier-pigeon' as never }),
    (e: unknown) => (e as { code?: string }).code === 'MSCOPE_BAD_BINDING',
  );
});

test('unlink disarms its description: 1000 link/unlink cycles leave the armed set as it was', () => {
  const name = uniq('armed');
  defineModule(name, { f: (x: number) => x });
  const before = registry.armedCount;
  for (let i = 0; i < 1000; i++) link(`fn:${name}:f:entry`, () => {}).unlink();
  assert.equal(registry.armedCount, before);
  const a = link(`fn:${name}:f:entry`, () => {});
  const b = link(`fn:${name}:f:entry`, () => {});
  assert.equal(registry.armedCount, before + 2);
  a.unlink();
  a.unlink();
  assert.equal(registry.armedCount, before + 1);
  b.unlink();
  assert.equal(registry.armedCount, before);
});

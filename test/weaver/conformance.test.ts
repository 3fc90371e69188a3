import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { threadId } from 'node:worker_threads';
import { setActivitySource } from '../../src/core/index.js';
import { defineModule } from '../../src/modules/define.js';
import type { BindingKind } from '../../src/weaver/index.js';
import { countingLink } from '../fixtures/weaver/harness.js';

/** One suite, every binding (CONVENTIONS item 9): what differs is stated per case. */
const BINDINGS: BindingKind[] = ['direct', 'shm', 'message'];

let n = 0;
const fresh = () => `conf${++n}`;

for (const binding of BINDINGS) {
  describe(`binding ${binding}`, () => {
    test('every call is counted once, entry and return, across flushes', async () => {
      const name = fresh();
      const m = defineModule(name, { add: (a: number, b: number) => a + b });
      const l = countingLink(`fn:${name}:add:`, binding);
      let sum = 0;
      for (let i = 0; i < 5000; i++) sum += m.add(i, 1);
      const c = await l.finish();
      assert.equal(sum, (5000 * 4999) / 2 + 5000);
      assert.deepEqual(c.byProbe, { 'add:entry': 5000, 'add:return': 5000 });
      assert.equal(l.handle.stats.drops, 0);
      assert.equal(l.handle.stats.events, 10000);
    });

    test('numbers, booleans, null, undefined, bigints and strings arrive with their values', async () => {
      const name = fresh();
      const m = defineModule(name, { f: (..._a: unknown[]) => 'done' });
      const l = countingLink(`fn:${name}:f:`, binding, { samples: 2 }, { strsize: 8 });
      m.f(1.5, -0, NaN, true, null, undefined, 12345678901234567890n, 7n, 'héllo', 'abcdefghijkl');
      const c = await l.finish();
      const [entry, ret] = c.samples;
      assert.equal((entry!.probe as { name: string }).name, 'entry');
      const args = entry!.args as unknown[];
      assert.deepEqual(args.slice(0, 8), [1.5, -0, NaN, true, null, undefined, 12345678901234567890n, 7n]);
      assert.equal(args[8], 'héllo');
      // Copies stop at strsize bytes; the direct binding sees the live string.
      assert.equal(args[9], binding === 'direct' ? 'abcdefghijkl' : 'abcdefgh');
      assert.equal(ret!.retval, 'done');
      assert.equal(entry!.tid, threadId);
      assert.ok((ret!.elapsed as number) >= 0);
      assert.ok((ret!.timestamp as number) >= (entry!.timestamp as number));
    });

    test('a link declaring readsArgs: false gets no arguments, and everything else as before', async () => {
      const name = fresh();
      const m = defineModule(name, { f: (a: number, s: string) => `${s}${a}` });
      const l = countingLink(`fn:${name}:f:`, binding, { samples: 2 }, {}, { readsArgs: false });
      m.f(1, 'x');
      const c = await l.finish();
      const [entry, ret] = c.samples;
      assert.deepEqual(entry!.args, []);
      assert.deepEqual(ret!.args, []);
      assert.equal(ret!.retval, 'x1');
      assert.ok((ret!.timestamp as number) >= (entry!.timestamp as number));
      assert.deepEqual(c.byProbe, { 'f:entry': 1, 'f:return': 1 });
    });

    test('a link declaring readsEvent: false sees every firing of its probes, and no firing reads the activity', async () => {
      const name = fresh();
      const m = defineModule(name, { f: (a: number) => a + 1 });
      let reads = 0;
      setActivitySource(() => ++reads);
      try {
        const l = countingLink(`fn:${name}:f:entry`, binding, {}, {}, { keepsEvents: false, readsArgs: false, readsEvent: false });
        await l.handle.ready();
        const linked = reads;
        for (let i = 0; i < 5; i++) m.f(i);
        assert.equal(reads, linked);
        const c = await l.finish();
        assert.deepEqual(c.byProbe, { 'f:entry': 5 });
      } finally {
        setActivitySource(() => 0);
      }
    });

    test('objects and this: live in direct, a bounded copy in message, not copied in shm', async () => {
      const name = fresh();
      let getterCalls = 0;
      const obj = {
        a: 1,
        nested: { b: 'x' },
        get trap() {
          getterCalls++;
          return 1;
        },
      };
      const m = defineModule(name, {
        g(this: unknown, _o: unknown) {
          return 0;
        },
      });
      const l = countingLink(`fn:${name}:g:entry`, binding, { samples: 1 });
      m.g.call({ self: true }, obj);
      const c = await l.finish();
      const s = c.samples[0]!;
      const arg = (s.args as unknown[])[0];
      if (binding === 'direct') {
        assert.equal(arg, obj);
        assert.deepEqual(s.thisArg, { self: true });
      } else if (binding === 'message') {
        assert.deepEqual(arg, { a: 1, nested: { b: 'x' }, trap: '[Getter]' });
        assert.deepEqual(s.thisArg, { self: true });
      } else {
        assert.equal((arg as { kind: string }).kind, 'object', 'shm marks objects as not copied');
        assert.equal(s.thisArg, undefined, 'shm does not copy this');
      }
      assert.equal(getterCalls, 0, 'no binding runs application getters');
    });

    test('errors: live in direct, a copy in message, "Name: message" text in shm', async () => {
      const name = fresh();
      const m = defineModule(name, {
        boom() {
          throw new RangeError('too far');
        },
      });
      const l = countingLink(`fn:${name}:boom:error`, binding, { samples: 1 });
      assert.throws(() => m.boom(), RangeError);
      const c = await l.finish();
      const e = c.samples[0]!.error;
      if (binding === 'shm') assert.equal(e, 'RangeError: too far');
      else assert.equal((e as { message: string }).message, 'too far');
    });

    test('a monitor that throws is counted as a fault and the application carries on', async () => {
      const name = fresh();
      const m = defineModule(name, { h: (x: number) => x * 2 });
      const l = countingLink(`fn:${name}:h:entry`, binding, { throwEvery: 10 });
      let out = 0;
      for (let i = 0; i < 100; i++) out += m.h(i);
      const c = await l.finish();
      assert.equal(out, 9900);
      if (binding === 'direct') assert.equal(l.handle.stats.faults, 10);
      else assert.ok(l.handle.stats.faults >= 1, 'remote faults are reported (coalesced per batch)');
      assert.equal(c.count, 90);
    });

    test(`relink from ${binding} to every other binding and back loses and repeats nothing`, async () => {
      const name = fresh();
      const m = defineModule(name, { k: () => 1 });
      const l = countingLink(`fn:${name}:k:entry`, binding);
      let calls = 0;
      for (const next of [...BINDINGS.filter((b) => b !== binding), binding]) {
        for (let i = 0; i < 300; i++) calls += m.k();
        await l.handle.relink({ binding: next });
        assert.equal(l.handle.bindingKind, next);
      }
      for (let i = 0; i < 300; i++) calls += m.k();
      const c = await l.finish();
      assert.equal(c.count, calls);
      assert.equal(l.handle.stats.drops, 0);
    });
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setActivitySource, type ProbeEvent } from '../../src/core/index.js';
import { link } from '../../src/weaver/index.js';
import { load } from './load-rewritten.js';

/**
 * A monitor linked with `keepsEvents: false` may be handed one reused event per probe
 * (core/probe.ts fireEvent, modules/sites.ts): what it sees during each firing must be that
 * firing's, and monitors that keep events must still get events of their own.
 */

const BORROW = { keepsEvents: false, readsArgs: true } as const;

/** Every event of `func` as `NAME:ARG0:RETVAL-OR-ERROR`, seen by a monitor that keeps no event. */
function recordCalls(module: string, func: string): { seen: string[]; h: ReturnType<typeof link> } {
  const seen: string[] = [];
  const h = link(
    `fn:${module}:${func}:`,
    (ev) =>
      void seen.push(
        `${ev.probe.name}:${String(ev.entry?.args[0] ?? ev.args[0])}:${String(ev.retval ?? (ev.error as Error | undefined)?.message)}`,
      ),
    BORROW,
  );
  return { seen, h };
}

test('readsEvent: false: a firing fills in nothing (no activity read); beside a handler that reads the event, every firing is filled in', () => {
  const { exports, module } = load('function f(a) { return a; }\nmodule.exports = { f };');
  let reads = 0;
  setActivitySource(() => ++reads);
  try {
    const names: string[] = [];
    const h1 = link(`fn:${module}:f:entry`, (ev) => void names.push(ev.probe.func), {
      keepsEvents: false,
      readsArgs: false,
      readsEvent: false,
    });
    const linked = reads;
    exports.f(1);
    exports.f(2);
    assert.deepEqual(names, ['f', 'f']);
    assert.equal(reads, linked, 'no activity read while every handler reads only the probe');
    const activities: number[] = [];
    const h2 = link(`fn:${module}:f:entry`, (ev) => void activities.push(ev.activity), BORROW);
    exports.f(3);
    exports.f(4);
    assert.deepEqual(names, ['f', 'f', 'f', 'f']);
    assert.deepEqual(activities, [reads - 1, reads]);
    h2.unlink();
    h1.unlink();
  } finally {
    setActivitySource(() => 0);
  }
});

test('a call whose return handlers read only the probe is not timed; once a handler reads elapsed, every call is', () => {
  const { exports, module } = load(
    'function f(ms) { const end = Date.now() + ms; while (Date.now() < end); return ms; }\nmodule.exports = { f };',
  );
  let counted = 0;
  const h1 = link(`fn:${module}:f:return`, () => void counted++, { keepsEvents: false, readsArgs: false, readsEvent: false });
  exports.f(0);
  const elapsed: number[] = [];
  const h2 = link(`fn:${module}:f:return`, (ev) => void elapsed.push(ev.elapsed), BORROW);
  exports.f(3);
  h2.unlink();
  exports.f(0);
  h1.unlink();
  assert.equal(counted, 3);
  assert.equal(elapsed.length, 1);
  assert.ok(elapsed[0]! >= 2e6, `elapsed ${elapsed[0]} ns for a call of at least 3 ms`);
});

test('a monitor that keeps no event is handed one event again and again; beside a keeper every firing gets a new one', () => {
  const { exports, module } = load('function f(a) { return a; }\nmodule.exports = { f };');
  const seen: ProbeEvent[] = [];
  const args: unknown[] = [];
  const borrower = link(`fn:${module}:f:entry`, (ev) => void (seen.push(ev), args.push(ev.args[0])), BORROW);
  exports.f(1);
  exports.f(2);
  assert.equal(seen[0], seen[1], 'the reused event');
  assert.deepEqual(args, [1, 2]);
  const kept: ProbeEvent[] = [];
  const keeper = link(`fn:${module}:f:entry`, (ev) => void kept.push(ev));
  exports.f(3);
  exports.f(4);
  assert.notEqual(kept[0], kept[1]);
  assert.deepEqual(
    kept.map((e) => e.args[0]),
    [3, 4],
  );
  keeper.unlink();
  borrower.unlink();
});

test('a firing inside a borrowing monitor (it calls the traced function) gets its own event, and the outer one keeps its args', () => {
  const { exports, module } = load('function f(a) { return a; }\nmodule.exports = { f };');
  const order: string[] = [];
  const h = link(
    `fn:${module}:f:entry`,
    (ev) => {
      const a = ev.args[0] as number;
      if (a === 1) exports.f(2);
      order.push(`${a}:${String(ev.args[0])}`);
    },
    BORROW,
  );
  exports.f(1);
  h.unlink();
  assert.deepEqual(order, ['2:2', '1:1']);
});

test('a site that reused tokens while every handler borrowed hands a keeper linked later events of their own', () => {
  const { exports, module } = load('function f(a) { return a; }\nmodule.exports = { f };');
  const entries: ProbeEvent[] = [];
  const borrower = link(`fn:${module}:f:return`, (ev) => void entries.push(ev.entry!), { keepsEvents: false, readsArgs: false });
  exports.f(1);
  exports.f(2);
  assert.equal(entries[0], entries[1], 'the reused token');
  const kept: ProbeEvent[] = [];
  const keeper = link(`fn:${module}:f:return`, (ev) => void kept.push(ev));
  exports.f(3);
  exports.f(4);
  assert.notEqual(kept[0]!.entry, kept[1]!.entry, 'a kept event keeps its own entry');
  assert.deepEqual(
    kept.map((e) => [e.entry!.args[0], e.retval]),
    [
      [3, 3],
      [4, 4],
    ],
  );
  keeper.unlink();
  borrower.unlink();
});

test('readsArgs: false leaves args empty; a handler beside it that reads them gets them', () => {
  const { exports, module } = load('function f(a, b) { return a + b; }\nmodule.exports = { f };');
  const blind: number[] = [];
  const h1 = link(`fn:${module}:f:entry`, (ev) => void blind.push(ev.args.length), { keepsEvents: false, readsArgs: false });
  assert.equal(exports.f(1, 2), 3);
  const reader: unknown[] = [];
  const h2 = link(`fn:${module}:f:entry`, (ev) => void reader.push([...ev.args]), BORROW);
  assert.equal(exports.f(3, 4), 7);
  h1.unlink();
  h2.unlink();
  assert.deepEqual(blind, [0, 2]);
  assert.deepEqual(reader, [[3, 4]]);
});

test('timing a recursive plain function with reused tokens: each return sees its own call (args, order, in flight)', () => {
  const { exports, module } = load('function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); }\nmodule.exports = { fact };');
  const returns: string[] = [];
  const h = link(
    `fn:${module}:fact:return`,
    (ev) => void returns.push(`${String(ev.entry!.args[0])}=${String(ev.retval)}/${ev.concurrency}/${ev.elapsed >= 0}`),
    BORROW,
  );
  for (let round = 0; round < 3; round++) {
    returns.length = 0;
    // More calls deep than the site keeps free tokens (8): some tokens are new, some reused.
    assert.equal(exports.fact(12), 479001600);
    const expected = [];
    for (let n = 1, f = 1; n <= 12; n++, f *= n) expected.push(`${n}=${f}/${13 - n}/true`);
    assert.deepEqual(returns, expected);
  }
  h.unlink();
});

test('a return whose finally calls the function again and then throws: the later store reaches no other call', () => {
  const src = `
    let depth = 0;
    function g(n) {
      try { return n; }
      finally { if (n === 1) { g(2); if (depth++ === 0) throw new Error('late'); } }
    }
    module.exports = { g };`;
  const { exports, module } = load(src);
  const { seen, h } = recordCalls(module, 'g');
  assert.throws(() => exports.g(1), /late/);
  assert.equal(exports.g(3), 3);
  h.unlink();
  assert.deepEqual(seen, ['entry:1:undefined', 'return:1:1', 'entry:2:undefined', 'return:2:2', 'entry:3:undefined', 'return:3:3']);
});

test('an async call whose finally throws after its return, while a later call is in flight: the later call keeps its token', async () => {
  const src = `
    let openFirst, openSecond;
    const first = new Promise((r) => (openFirst = r));
    const second = new Promise((r) => (openSecond = r));
    async function g(n) {
      if (n === 2) await second;
      try { return n; }
      finally { if (n === 1) { await first; throw new Error('late'); } }
    }
    module.exports = { g, openFirst: () => openFirst(), openSecond: () => openSecond() };`;
  const { exports, module } = load(src);
  const { seen, h } = recordCalls(module, 'g');
  const one = exports.g(1);
  const oneFailed = assert.rejects(one, /late/);
  // Starts once the first call has returned (its token could be free), and waits before its own return.
  const two = exports.g(2);
  exports.openFirst();
  await oneFailed;
  exports.openSecond();
  assert.equal(await two, 2);
  h.unlink();
  assert.deepEqual(seen, ['entry:1:undefined', 'return:1:1', 'entry:2:undefined', 'return:2:2']);
});

test('async calls that overlap keep their own tokens', async () => {
  const src = `
    async function slow(x, ms) { await new Promise((r) => setTimeout(r, ms)); return x; }
    module.exports = { slow };`;
  const { exports, module } = load(src);
  const seen: string[] = [];
  const h = link(`fn:${module}:slow:return`, (ev) => void seen.push(`${String(ev.entry!.args[0])}->${String(ev.retval)}`), BORROW);
  const r = await Promise.all([exports.slow('a', 20), exports.slow('b', 1), exports.slow('c', 10)]);
  h.unlink();
  assert.deepEqual(r, ['a', 'b', 'c']);
  assert.deepEqual(seen, ['b->b', 'c->c', 'a->a']);
});

test("a reused event or token holds none of the program's values after its firing: they stay collectable", async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const { exports, module } = load('function f(a) { return [a]; }\nfunction g(a) { return 1; }\nmodule.exports = { f, g };');
  const h1 = link(`fn:${module}:f:`, () => {}, BORROW);
  const h2 = link(`fn:${module}:g:entry`, () => {}, BORROW);
  const refs: Array<WeakRef<object>> = [];
  (() => {
    const a = {};
    const b = {};
    refs.push(new WeakRef(a), new WeakRef(b));
    exports.f(a);
    exports.g(b);
  })();
  // A WeakRef keeps its target until the end of the job that made it.
  await new Promise((r) => setImmediate(r));
  gc();
  h1.unlink();
  h2.unlink();
  assert.deepEqual(
    refs.map((r) => r.deref()),
    [undefined, undefined],
  );
});

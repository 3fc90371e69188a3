import { test } from 'node:test';
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import { ProbeDescription, registry, setActivitySource, type ProbeEvent } from '../../src/core/index.js';
import { link, type LinkOptions } from '../../src/weaver/index.js';
import { ensureProbes, probe as usdtProbe } from '../../src/providers/index.js';
import { emit } from '../../src/providers/hooks.js';
import { doneProbe, fireAcct } from '../../src/accounting/probes.js';
import type { Activity } from '../../src/accounting/activity.js';

/**
 * A provider's probe honours its handlers' event use as a traced call does (core/probe.ts
 * fireProvided): one fixed event for handlers that read only the probe, one reused event for
 * handlers that keep none, no arguments for handlers that read none.
 */

const ONLY_PROBE: LinkOptions = { keepsEvents: false, readsArgs: false, readsEvent: false };
const BORROW: LinkOptions = { keepsEvents: false, readsArgs: true };

/** Links `description` with `options`; the events it was handed and what each held during its firing. */
function watch(description: string, options: LinkOptions) {
  ensureProbes(ProbeDescription.parse(description));
  const events: ProbeEvent[] = [];
  const seen: string[] = [];
  const handle = link(
    description,
    (ev) => {
      events.push(ev);
      seen.push(
        `${ev.args.length === 0 ? 'none' : 'args'}:${String((ev.args[0] as { v?: unknown } | undefined)?.v)}:${ev.activity}:${ev.timestamp}`,
      );
    },
    options,
  );
  return { events, seen, unlink: () => handle.unlink() };
}

/** Each provider's way to fire one event of its probe, with `v` in its record. */
/** `ts`: the time the provider states for the firing of `v`, if it states one. */
const PROVIDERS: Array<{ name: string; description: string; fire: (v: number) => void; ts?: (v: number) => number }> = [
  { name: 'dc', description: 'dc::"mscope-test:event-use":', fire: (v) => dc.channel('mscope-test:event-use').publish({ v }) },
  { name: 'usdt', description: 'usdt:eventuse::fired', fire: (v) => usdtProbe('eventuse', 'fired').fire({ v }) },
  {
    name: 'a record emitted by a provider',
    description: 'eventuse:emit::fired',
    fire: (v) => emit(registry.register('eventuse', 'emit', '', 'fired'), { v }, 1000 + v),
    ts: (v) => 1000 + v,
  },
];

/** What a handler linked with `options` saw of `p`'s firings 1 and 2, while `activity` was the activity source. */
function firedTwice(p: (typeof PROVIDERS)[number], options: LinkOptions, activity: () => number): ReturnType<typeof watch> {
  const w = watch(p.description, options);
  setActivitySource(activity);
  try {
    p.fire(1);
    p.fire(2);
  } finally {
    setActivitySource(() => 0);
    w.unlink();
  }
  return w;
}

for (const p of PROVIDERS) {
  test(`${p.name}: a handler that reads only the probe is handed the probe's fixed event, and no activity is read`, () => {
    let reads = 0;
    p.fire(0);
    const w = firedTwice(p, ONLY_PROBE, () => ++reads);
    assert.equal(w.events.length, 2);
    assert.equal(w.events[0], w.events[1], 'one event for both firings');
    assert.equal(w.events[0]!.args.length, 0, 'the fixed event holds no values');
    assert.equal(reads, 0, 'no firing read the activity');
  });

  test(`${p.name}: a handler that keeps no event is handed one reused event, filled in for each firing and emptied after`, () => {
    let act = 40;
    const w = firedTwice(p, BORROW, () => ++act);
    assert.equal(w.events.length, 2);
    assert.equal(w.events[0], w.events[1], 'one event reused');
    assert.equal(w.events[0]!.args.length, 0, 'its values are dropped between firings');
    assert.deepEqual(
      w.seen.map((s) => s.split(':').slice(0, 3).join(':')),
      ['args:1:41', 'args:2:42'],
    );
    if (p.ts !== undefined)
      assert.deepEqual(
        w.seen.map((s) => Number(s.split(':')[3])),
        [p.ts(1), p.ts(2)],
        "the provider's own time",
      );
  });

  test(`${p.name}: a handler that reads no arguments gets none; one that keeps events gets an event of its own each firing`, () => {
    const noArgs = watch(p.description, { keepsEvents: false, readsArgs: false });
    p.fire(1);
    noArgs.unlink();
    assert.deepEqual(
      noArgs.seen.map((s) => s.split(':')[0]),
      ['none'],
    );
    const keeper = watch(p.description, {});
    p.fire(1);
    p.fire(2);
    keeper.unlink();
    assert.notEqual(keeper.events[0], keeper.events[1]);
    assert.deepEqual(
      keeper.events.map((e) => (e.args[0] as { v: number }).v),
      [1, 2],
      'kept events keep their values',
    );
  });
}

test("acct: a reused event carries the activity's own id, not the current one", () => {
  const w = watch('acct:::done', BORROW);
  fireAcct(doneProbe, { id: 7 } as Activity, { v: 1 });
  fireAcct(doneProbe, { id: 9 } as Activity, { v: 2 });
  w.unlink();
  assert.equal(w.events[0], w.events[1]);
  assert.deepEqual(
    w.seen.map((s) => s.split(':').slice(0, 3).join(':')),
    ['args:1:7', 'args:2:9'],
  );
});

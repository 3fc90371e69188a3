import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CompiledProgram, type Host } from '../../src/lang/index.js';
import { defineModule } from '../../src/modules/define.js';
import { ConsumerProgram } from '../../src/consumer/consumer-program.js';
import { compiled } from './compiled.js';

/**
 * A clause declares at link time whether it keeps its events (tells firings apart by identity)
 * and reads args; a clause that declares neither is handed one reused event per probe.
 */

const mod = defineModule('clause-events', {
  hit(n: number): number {
    return n;
  },
});

function program(text: string): CompiledProgram {
  return compiled('events.d', text);
}

function run(text: string, calls: number[]): string {
  let out = '';
  const host: Host = { output: (t) => void (out += t), exit: () => {} };
  const c = ConsumerProgram.solo(program(text), host);
  c.start();
  for (const n of calls) mod.hit(n);
  c.finish();
  return out;
}

test('what each clause declares: this-> and strtok keep events; argN, args[] and a translator of args read them; `this` reads this; only probe names leave the event unread', () => {
  const p = program(`
    translator struct t { int v; } < int x > { v = x + arg1; };
    fn:::entry { @ = count(); }
    fn:::entry { @s = sum(arg0); }
    fn:::entry { this->x = 1; @t = sum(this->x); }
    fn:::entry { printf("%s", strtok(NULL, ",")); }
    fn:::entry { @a[args[1]] = count(); }
    fn:::entry { @x = sum(xlate<struct t>(1).v); }
    fn:::return { @e = quantize(elapsed); }
    fn:::entry /probename == "entry"/ { @p[probeprov, probemod, probefunc, id] = count(); }
    fn:::entry { @c[tid] = count(); }
    fn:::entry { trace(timestamp); }
    fn:::entry { @w[activity] = count(); }
    fn:::return { @r = sum(retval); }
    fn:::entry { trace(this); }
  `);
  const use = p.clauses.map(
    (c) =>
      `${c.keepsEvents ? 'keeps' : 'borrows'}/${c.readsArgs ? 'args' : 'no args'}/${c.readsEvent ? 'event' : 'probe'}${c.readsThis ? '/this' : ''}`,
  );
  assert.deepEqual(use, [
    'borrows/no args/probe',
    'borrows/args/event',
    'keeps/no args/event',
    'keeps/no args/event',
    'borrows/args/event',
    'borrows/args/event',
    'borrows/no args/event',
    'borrows/no args/probe',
    'borrows/no args/event',
    'borrows/no args/event',
    'borrows/no args/event',
    'borrows/no args/event',
    'borrows/no args/event/this',
  ]);
});

test('a tuple of probe names after trunc() starts again: the cell a probe found last is not reused once removed', () => {
  const text =
    'fn:clause-events:hit:entry { @[probefunc] = count(); } fn:clause-events:hit:entry /arg0 == 0/ { trunc(@); } END { printa("%s %@d\\n", @); }';
  assert.equal(run(text, [1, 1, 0, 1, 1]), 'hit 2\n');
});

test('two statements keyed by different probe names on one aggregation keep their own tuples', () => {
  const text = 'fn:clause-events:hit:entry { @[probefunc] = count(); @[probename] = count(); } END { printa("%s %@d\\n", @); }';
  assert.equal(run(text, [1, 2, 3]), 'entry 3\nhit 3\n');
});

test('this-> variables start again at every firing', () => {
  assert.equal(run('fn:clause-events:hit:entry { this->n++; printf("%d ", this->n); }', [1, 2, 3]), '1 1 1 ');
});

test('strtok(NULL, …) goes on only in the firing that started the string', () => {
  const text =
    'fn:clause-events:hit:entry /arg0 == 0/ { printf("[%s]", strtok("a,b", ",")); } fn:clause-events:hit:entry /arg0 == 1/ { printf("[%s]", strtok(NULL, ",")); }';
  assert.equal(run(text, [0, 1]), '[a][]');
});

test('a counting clause beside a clause that reads args: both see every firing, with its args', () => {
  const out = run(
    'fn:clause-events:hit:entry { @n = count(); } fn:clause-events:hit:entry { @s = sum(arg0); } END { printa("%@d %@d\\n", @n, @s); }',
    [1, 2, 3],
  );
  assert.equal(out, '3 6\n');
});

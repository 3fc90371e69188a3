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

test('what each clause declares: this-> and strtok keep events; argN, args[] and a translator of args read them', () => {
  const p = program(`
    translator struct t { int v; } < int x > { v = x + arg1; };
    fn:::entry { @ = count(); }
    fn:::entry { @s = sum(arg0); }
    fn:::entry { this->x = 1; @t = sum(this->x); }
    fn:::entry { printf("%s", strtok(NULL, ",")); }
    fn:::entry { @a[args[1]] = count(); }
    fn:::entry { @x = sum(xlate<struct t>(1).v); }
    fn:::return { @e = quantize(elapsed); }
  `);
  const use = p.clauses.map((c) => `${c.keepsEvents ? 'keeps' : 'borrows'}/${c.readsArgs ? 'args' : 'no args'}`);
  assert.deepEqual(use, [
    'borrows/no args',
    'borrows/args',
    'keeps/no args',
    'keeps/no args',
    'borrows/args',
    'borrows/args',
    'borrows/no args',
  ]);
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

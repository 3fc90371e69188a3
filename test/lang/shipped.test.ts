import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compile, type CompiledProgram } from '../../src/lang/index.js';
import { loadShippedProgram, shipProgram } from '../../src/lang/shipped.js';
import { defineModule } from '../../src/modules/define.js';
import { ConsumerProgram } from '../../src/consumer/consumer-program.js';

const mod = defineModule('shipped', {
  hit(n: number): number {
    return n;
  },
});

const TEXT = [
  'struct point { int x; uint64_t y; };',
  'self struct point sp;',
  'BEGIN { limit = 1; }',
  'fn:shipped:hit:entry /arg0 > limit/ { @s[probefunc] = sum(arg0); @q = quantize(arg0); printf("%s %d\\n", probename, arg0); }',
  'fn:shipped:hit:return { self->sp.x += 1; self->sp.y = (uint64_t)-1; @r = count(); @x = max(self->sp.x); printf("%u\\n", self->sp.y); }',
  'END { printa(@s); }',
].join('\n');

function run(program: CompiledProgram): string {
  let out = '';
  const s = ConsumerProgram.solo(program, { output: (t) => (out += t), exit() {} });
  s.start();
  for (const n of [1, 2, 3, 40]) mod.hit(n);
  s.finish();
  return out;
}

test('a program shipped as JSON and loaded again runs as the compiled one', () => {
  const r = compile([{ file: 'shipped.d', text: TEXT }], { quiet: true });
  assert.equal(r.diagnostics.length, 0, JSON.stringify(r.diagnostics));
  const program = r.program!;
  const loaded = loadShippedProgram(JSON.parse(JSON.stringify(shipProgram(program))));
  // Descriptions hold compiled matchers: compared by their text.
  const plain = ({ factory: _f, ...p }: CompiledProgram): object => ({
    ...p,
    clauses: p.clauses.map((c) => ({ ...c, probes: c.probes.map((s) => ({ ...s, description: s.description?.text ?? null })) })),
  });
  assert.deepEqual(plain(loaded), plain(program));
  const out = run(program);
  assert.match(out, /entry 40\n/);
  assert.equal(run(loaded), out);
});

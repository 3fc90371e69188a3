import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiagnosticBag } from '../../src/lang/diagnostics.js';
import { parse } from '../../src/lang/parser.js';
import { specialProbe } from '../../src/lang/parse-probes.js';
import { Lexer, T } from '../../src/lang/lexer.js';

function tokens(text: string): string[] {
  const lx = new Lexer(text, 't.d', new DiagnosticBag());
  const out: string[] = [];
  for (let t = lx.next(); t.kind !== T.EOF; t = lx.next()) out.push(t.kind === T.Str ? JSON.stringify(t.text) : t.text);
  return out;
}

test('the lexer reads D operators, literals and aggregation names', () => {
  assert.deepEqual(tokens('a->b <<= 0x10 "x\\n" @ @foo ^^ \'A\''), ['a', '->', 'b', '<<=', '0x10', '"x\\n"', '', 'foo', '^^', "'A'"]);
});

test('integer literals: decimal, hex, octal, suffixes, 64-bit', () => {
  const lx = new Lexer('10 0x1F 017 5ul 18446744073709551615 9223372036854775807', 't.d', new DiagnosticBag());
  const vals = [];
  for (let t = lx.next(); t.kind !== T.EOF; t = lx.next()) vals.push(t.value);
  assert.deepEqual(vals, [10, 31, 15, 5, 18446744073709551615n, 9223372036854775807n]);
});

test('a clause has descriptions, a predicate and a body; division inside a predicate still works', () => {
  const d = new DiagnosticBag();
  const p = parse('t.d', 'fn:a:b:entry, fn:"lib/x.js":f:return /arg0 / 2 > 1/ { x = 1; y = 2 }', d);
  assert.equal(d.list.length, 0);
  const c = p.clauses[0]!;
  assert.deepEqual(
    c.probes.map((s) => s.text),
    ['fn:a:b:entry', 'fn:"lib/x.js":f:return'],
  );
  assert.equal(c.probes[1]!.description!.module, 'lib/x.js');
  assert.equal(c.predicate?.kind, 'binary');
  assert.equal(c.body.length, 2);
});

test('a module path with slashes is part of the description', () => {
  const d = new DiagnosticBag();
  const p = parse('t.d', 'fn:lib/math.js:add:entry /arg0/ { }', d);
  assert.equal(d.list.length, 0);
  assert.equal(p.clauses[0]!.probes[0]!.description!.module, 'lib/math.js');
  assert.ok(p.clauses[0]!.predicate !== null);
});

test('tick probes take DTrace units; a bare number is hertz', () => {
  assert.deepEqual(specialProbe('tick-1s'), { kind: 'tick', periodNs: 1e9 });
  assert.deepEqual(specialProbe('tick-10hz'), { kind: 'tick', periodNs: 1e8 });
  assert.deepEqual(specialProbe('profile:::tick-5ms'), { kind: 'tick', periodNs: 5e6 });
  assert.deepEqual(specialProbe('tick-100'), { kind: 'tick', periodNs: 1e7 });
  assert.equal(specialProbe('tick-0s'), 'bad');
  assert.equal(specialProbe('tick-1parsec'), 'bad');
  assert.deepEqual(specialProbe('BEGIN'), { kind: 'BEGIN' });
  assert.equal(specialProbe('fn:::entry'), null);
});

test('several syntax errors are reported in one run', () => {
  const d = new DiagnosticBag();
  parse('t.d', 'BEGIN { x = ; }\nEND { y = (; }\nfn:::entry { z = 1 + ; }', d);
  assert.deepEqual(
    d.list.map((x) => x.code),
    ['D2004', 'D2004', 'D2004'],
  );
});

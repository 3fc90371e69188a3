import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { compile, type Diagnostic } from '../../src/lang/index.js';
import { ConsumerProgram } from '../../src/consumer/consumer-program.js';

const GOLDEN = join(import.meta.dirname, '..', 'golden');
const seeds = readdirSync(GOLDEN)
  .filter((f) => f.endsWith('.d'))
  .map((f) => readFileSync(join(GOLDEN, f), 'utf8'));

const TOKENS = [
  'BEGIN',
  'END',
  'ERROR',
  'tick-1s',
  'fn:::entry',
  'fn:app:add:return',
  'a:b',
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  '/',
  ';',
  ',',
  '=',
  '+=',
  '++',
  '--',
  '->',
  '.',
  '?',
  ':',
  '==',
  '<',
  '>>=',
  '&&',
  '^^',
  '!',
  '~',
  '@',
  '@a',
  'self',
  'this',
  'args',
  'arg0',
  'x',
  'count',
  'quantize',
  'lquantize',
  'printf',
  'printa',
  'trace',
  'speculate',
  '"s"',
  '"%d\\n"',
  "'c'",
  '0',
  '1',
  '0x1f',
  '99999999999999999999',
  '-',
  '*',
  '#pragma D option quiet\n',
  '/*',
  '*/',
  '//',
  '\n',
  '"',
  '\\',
  'for',
  'stack',
  'json',
];

function checkDiagnostics(text: string, diags: readonly Diagnostic[]): void {
  for (const d of diags) {
    assert.equal(d.range.file, 'fuzz.d');
    assert.ok(d.range.start >= 0 && d.range.start <= text.length, `start ${d.range.start} outside the text`);
    assert.ok(d.range.end >= d.range.start && d.range.end <= text.length + 1, `bad end ${d.range.end}`);
    assert.ok(d.message.length > 0 && /^D\d{4}$/.test(d.code));
  }
}

function compileChecked(text: string): void {
  const r = compile([{ file: 'fuzz.d', text }]);
  checkDiagnostics(text, r.diagnostics);
  if (r.program === undefined)
    assert.ok(
      r.diagnostics.some((d) => d.severity === 'error'),
      'a failed compile reports an error',
    );
}

test('random token streams never crash the front end, and every error has a location', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), fc.constantFrom(' ', '', '\n'), (toks, sep) => {
      compileChecked(toks.join(sep));
    }),
    // The first example once hung the lexer: a backslash as the last character of a string.
    { numRuns: 4000, examples: [[['fn:app:add:return', '"', '.', 'count', '<', 'ERROR', '\\'], ' ']] },
  );
});

test('random characters never crash the front end', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (text) => compileChecked(text)),
    { numRuns: 3000 },
  );
});

const mutation = fc.record({
  seed: fc.nat(seeds.length - 1),
  edits: fc.array(fc.tuple(fc.nat(), fc.constantFrom('delete', 'insert', 'replace'), fc.constantFrom(...TOKENS)), {
    minLength: 1,
    maxLength: 5,
  }),
});

test('mutated real programs never crash the front end', () => {
  fc.assert(
    fc.property(mutation, ({ seed, edits }) => {
      let text = seeds[seed]!;
      for (const [at, kind, tok] of edits) {
        const i = text.length === 0 ? 0 : at % text.length;
        if (kind === 'delete') text = text.slice(0, i) + text.slice(i + 1 + (at % 7));
        else if (kind === 'insert') text = text.slice(0, i) + tok + text.slice(i);
        else text = text.slice(0, i) + tok + text.slice(i + tok.length);
      }
      compileChecked(text);
    }),
    { numRuns: 4000 },
  );
});

// Code injection: whatever a string literal, an identifier or a probe description holds,
// the generated code treats it as data.
const PAYLOADS = [
  '"); globalThis.__pwned = 1; ("',
  "'); globalThis.__pwned = 1; ('",
  '`${globalThis.__pwned = 1}`',
  '\\"); globalThis.__pwned = 1; //',
  '*/ globalThis.__pwned = 1; /*',
  '\u2028globalThis.__pwned = 1;\u2029',
  '</script>',
  '\\u0022); globalThis.__pwned = 1; (\\u0022',
];

test('strings, identifiers and probe descriptions cannot inject code', () => {
  const g = globalThis as { __pwned?: number };
  fc.assert(
    fc.property(fc.constantFrom(...PAYLOADS), fc.string({ maxLength: 20 }), (payload, noise) => {
      const lit = JSON.stringify(payload + noise);
      const programs = [
        `BEGIN { x = ${lit}; printf(${lit}); trace(${lit}); @[${lit}] = count(); }`,
        `BEGIN { printf("%s", json(${lit}, ${lit})); }`,
        `fn:"${payload.replace(/"/g, '')}":x:entry { y = 1; }`,
        `BEGIN { ${payload.replace(/[^A-Za-z_]/g, '') || 'a'}_x = 1; }`,
        `BEGIN { this->${'q' + payload.replace(/[^A-Za-z0-9_]/g, '')} = ${lit}; self->v = ${lit}; }`,
        `BEGIN { @${'a' + payload.replace(/[^A-Za-z0-9_]/g, '')}[${lit}] = sum(1); printa(${lit.replace(/%/g, '')}, @${'a' + payload.replace(/[^A-Za-z0-9_]/g, '')}); }`,
      ];
      for (const text of programs) {
        const r = compile([{ file: 'fuzz.d', text }]);
        checkDiagnostics(text, r.diagnostics);
        if (r.program === undefined) continue;
        const inst = ConsumerProgram.solo(r.program, { output() {}, exit() {} });
        inst.start();
        inst.finish();
      }
      assert.equal(g.__pwned, undefined);
    }),
    { numRuns: 300 },
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lineColOf, renderDiagnostics } from '../../src/lang/diagnostics.js';
import { compile } from '../../src/lang/program.js';

/** Line and column by walking the text from its start: what lineColOf must agree with. */
function walked(text: string, offset: number): ReturnType<typeof lineColOf> {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  const end = text.indexOf('\n', lineStart);
  return { line, col: at - lineStart + 1, lineStart, lineEnd: end < 0 ? text.length : end };
}

test('lineColOf agrees with a walk from the start of the text, for any text and offset, asked in any order', () => {
  const texts = fc.string({ unit: fc.constantFrom('a', 'b', '\n', ' ', 'é', '\r'), maxLength: 60 });
  fc.assert(
    fc.property(texts, fc.array(fc.integer({ min: -3, max: 70 }), { minLength: 1, maxLength: 10 }), texts, (text, offsets, other) => {
      for (const o of offsets) {
        assert.deepEqual(lineColOf(text, o), walked(text, o));
        // Another text in between: nothing of the first may be reused for it.
        assert.deepEqual(lineColOf(other, o), walked(other, o));
      }
    }),
    { numRuns: 500 },
  );
});

test('lineColOf of the last of 20,000 lines', () => {
  const text = Array.from({ length: 20_000 }, (_, i) => `fn::f${i}:entry { }`).join('\n');
  const at = text.lastIndexOf('fn::f19999');
  assert.deepEqual(lineColOf(text, at + 4), { line: 20_000, col: 5, lineStart: at, lineEnd: text.length });
});

/** The source line and the caret line of the one diagnostic `text` gets. */
function pointedAt(text: string): readonly string[] {
  const sources = [{ file: '-e', text }];
  const { diagnostics } = compile(sources);
  assert.equal(diagnostics.length, 1, renderDiagnostics(diagnostics, sources));
  return renderDiagnostics(diagnostics, sources).split('\n').slice(1, 3);
}

test('the caret stands under the mistake in the columns a terminal shows: wide characters take two, combining marks none', () => {
  // Each case: what comes before `nosuch` takes the columns the spaces of the expected caret line take.
  assert.deepEqual(pointedAt('BEGIN { printf("%d\\n", nosuch); }'), ['  BEGIN { printf("%d\\n", nosuch); }', `  ${' '.repeat(23)}^~~~~~`]);
  assert.deepEqual(pointedAt('BEGIN { printf("日本語 %d\\n", nosuch); }'), [
    '  BEGIN { printf("日本語 %d\\n", nosuch); }',
    `  ${' '.repeat(30)}^~~~~~`,
  ]);
  assert.deepEqual(pointedAt('BEGIN { printf("e\u0301 👍🏽 %d\\n", nosuch); }'), [
    '  BEGIN { printf("e\u0301 👍🏽 %d\\n", nosuch); }',
    `  ${' '.repeat(28)}^~~~~~`,
  ]);
  // The mistake itself wide: the underline is as wide as it shows.
  assert.deepEqual(pointedAt('BEGIN { x = 1 + "日本"; }'), ['  BEGIN { x = 1 + "日本"; }', `  ${' '.repeat(12)}^${'~'.repeat(9)}`]);
});

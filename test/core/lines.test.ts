import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lineOf, lineStarts } from '../../src/core/lines.js';

test('lineStarts: offset 0 and the offset after each newline', () => {
  assert.deepEqual(lineStarts(''), [0]);
  assert.deepEqual(lineStarts('a\nbc\n\nd'), [0, 2, 5, 6]);
  assert.deepEqual(lineStarts('\n'), [0, 1]);
});

test('lineOf is the number of newlines before the offset', () => {
  const text = fc.string({ unit: fc.constantFrom('x', '\n', '\r'), maxLength: 50 });
  fc.assert(
    fc.property(text, fc.nat(60), (t, pos) => {
      const at = Math.min(pos, t.length);
      const newlines = [...t.slice(0, at)].filter((c) => c === '\n').length;
      assert.equal(lineOf(lineStarts(t), at), newlines);
    }),
    { numRuns: 500 },
  );
});

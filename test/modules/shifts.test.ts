import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeShifts, encodeShifts, originalColumn } from '../../src/modules/shifts.js';

test('only insertions that something a frame can point at follows are listed, by V8 line', () => {
  const source = 'a(); b();\nfunction f() {\n  x();\n}\r\ny(); z();\u2028w();';
  const at = (s: string): number => source.indexOf(s);
  const text = encodeShifts(source, [
    { pos: at('b()'), length: 3 },
    { pos: at('{') + 1, length: 5 },
    { pos: at('}'), length: 4 },
    { pos: at('z()'), length: 2 },
    { pos: at('w()'), length: 1 },
  ]);
  // The `{` line ends after its insertion, and only `}` follows the closing one.
  assert.equal(text, '1:5+3;5:5+2;6:0+1');
  assert.deepEqual(
    [...decodeShifts(text)],
    [
      [1, [5, 3]],
      [5, [5, 2]],
      [6, [0, 1]],
    ],
  );
});

test('a rewritten column maps back past every insertion before it; inside one, to where it was inserted', () => {
  const pairs = [5, 3, 5, 2, 10, 4];
  assert.equal(originalColumn(pairs, 5), 5);
  assert.equal(originalColumn(pairs, 6), 6); // inside the first insertion
  assert.equal(originalColumn(pairs, 10), 6); // inside the second
  assert.equal(originalColumn(pairs, 11), 6); // the original column 5 (0-based), moved by 5
  assert.equal(originalColumn(pairs, 16), 11); // column 10, before the third insertion
  assert.equal(originalColumn(pairs, 20), 11); // inside the third
  assert.equal(originalColumn(pairs, 21), 12);
  assert.equal(originalColumn([], 7), 7);
});

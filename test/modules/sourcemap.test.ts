import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shiftInlineSourceMap } from '../../src/modules/sourcemap.js';
import { decode, encode, type SourceMapSegment } from '@jridgewell/sourcemap-codec';
import fc from 'fast-check';

const inline = (map: object): string =>
  `//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`;
const mappingsOf = (code: string): string => {
  const b64 = /base64,(.*)$/m.exec(code)![1]!;
  return (JSON.parse(Buffer.from(b64, 'base64').toString()) as { mappings: string }).mappings;
};

test('generated columns at or after an insertion move by its length; other lines are untouched', () => {
  // Line 0: segments at columns 0 and 10 (AAAA, UAAU); line 1: column 0.
  const code = `x\n${inline({ version: 3, sources: ['a.ts'], names: [], mappings: 'AAAA,UAAU;AACA' })}`;
  const out = shiftInlineSourceMap(code, [{ line: 0, column: 5, length: 3 }]);
  // Column 10 becomes 13: delta 13 is "a" in base64 VLQ.
  assert.equal(mappingsOf(out), 'AAAA,aAAU;AACA');
});

test('code without an inline map is returned as is', () => {
  assert.equal(shiftInlineSourceMap('x', [{ line: 0, column: 0, length: 1 }]), 'x');
});

test('every generated column moves by the insertions at or before it, on random maps (large columns too)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 1 << 20 }), { maxLength: 6 }), { minLength: 1, maxLength: 5 }),
      fc.array(fc.record({ line: fc.nat(5), column: fc.nat(1 << 20), length: fc.integer({ min: 1, max: 5000 }) }), { maxLength: 8 }),
      (columnsByLine, unsorted) => {
        const lines: SourceMapSegment[][] = columnsByLine.map((cols, l) =>
          [...cols].sort((a, b) => a - b).map((c, i): SourceMapSegment => (i % 2 === 0 ? [c, 0, l, c] : [c, 0, l, c, 0])),
        );
        const insertions = [...unsorted].sort((a, b) => a.line - b.line || a.column - b.column);
        const code = `x\n${inline({ version: 3, sources: ['a.ts'], names: ['n'], mappings: encode(lines) })}`;
        const out = decode(mappingsOf(shiftInlineSourceMap(code, insertions)));
        const expected = lines.map((segs, l) =>
          segs.map(([c, ...rest]) => [
            c + insertions.filter((i) => i.line === l && i.column <= c).reduce((n, i) => n + i.length, 0),
            ...rest,
          ]),
        );
        assert.deepEqual(out, expected);
      },
    ),
    { numRuns: 300 },
  );
});

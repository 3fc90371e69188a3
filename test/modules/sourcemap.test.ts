import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shiftInlineSourceMap } from '../../src/modules/sourcemap.js';

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

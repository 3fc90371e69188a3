import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DefinedProbes } from '../../src/weaver/bindings/defined-probes.js';

test('defined probes: exactly the ids added are defined, at any size, until cleared', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.integer({ min: 0, max: 100_000 }), { maxLength: 50 }),
      fc.integer({ min: 0, max: 200_000 }),
      (ids, other) => {
        const d = new DefinedProbes();
        for (const id of ids) d.add(id);
        for (const id of ids) assert.ok(d.has(id), `id ${id} lost`);
        assert.equal(d.has(other), ids.includes(other));
        d.clear();
        assert.ok(ids.every((id) => !d.has(id)));
      },
    ),
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynVars, SelfMap, type SlotLedger } from '../../src/lang/runtime/dynvars.js';
import { clauseHelpers } from '../../src/lang/runtime/helpers.js';
import { SelfStore } from '../../src/lang/runtime/self-store.js';

const { aset, smr, smw } = clauseHelpers.helpers;

test('a self-> associative array charges its elements to dynvarsize and to its context, and gives them back when freed', () => {
  const dv = new DynVars(400);
  const ledger: SlotLedger = { bytes: 0 };
  const slots: unknown[] = [0, ledger];
  assert.equal(smr(slots[0]).size, 0);
  const m = smw(slots, 0, dv, [0]);
  assert.ok(m instanceof SelfMap && slots[0] === m);
  const empty = dv.used;
  assert.equal(ledger.bytes, empty);
  aset(m, 'k', 5, dv);
  assert.ok(dv.used > empty);
  assert.equal(ledger.bytes, dv.used);
  assert.equal(smr(slots[0]).get('k'), 5);
  // Storing 0 frees the element, as in D.
  aset(m, 'k', 0, dv);
  assert.equal(dv.used, empty);
  assert.equal(ledger.bytes, empty);
  // Past the bound a new element is a drop, never stored.
  for (let i = 0; i < 10; i++) aset(m, i, 1, dv);
  assert.ok(dv.drops > 0 && m.size < 10 && dv.used <= 400);
  assert.equal(ledger.bytes, dv.used);
});

test("a context's self-> associative array is its own: one that inherited it copies it at its first store", async () => {
  const dv = new DynVars(1 << 20);
  const store = new SelfStore([0], dv);
  const parent = store.write();
  aset(smw(parent, 0, dv, [0]), 'a', 1, dv);
  const child = await new Promise<unknown[]>((resolve) =>
    setImmediate(() => {
      const slots = store.write();
      aset(smw(slots, 0, dv, [0]), 'a', 2, dv);
      aset(smw(slots, 0, dv, [0]), 'b', 3, dv);
      resolve(slots);
    }),
  );
  assert.notEqual(child, parent);
  assert.deepEqual([...smr(parent[0])], [['a', 1]]);
  assert.deepEqual(
    [...smr(child[0])],
    [
      ['a', 2],
      ['b', 3],
    ],
  );
  // Each copy's elements are on its own ledger, which SelfStore gives back when the context is collected.
  assert.equal((parent.at(-1) as SlotLedger).bytes + (child.at(-1) as SlotLedger).bytes, dv.used);
});

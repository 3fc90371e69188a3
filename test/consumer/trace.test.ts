import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cutShort } from '../../src/consumer/trace.js';

test('messages cut short by a process mscope killed are not reported; those of any other process are', () => {
  const corrupt = new Map([
    [10, 1],
    [11, 2],
  ]);
  assert.equal(cutShort(corrupt, new Set([10, 11])), null);
  assert.equal(
    cutShort(corrupt, new Set([10])),
    'mscope: 2 agent messages were cut short (a traced process died, or its disk filled, while writing)',
  );
  assert.equal(
    cutShort(corrupt, new Set()),
    'mscope: 3 agent messages were cut short (a traced process died, or its disk filled, while writing)',
  );
  assert.equal(cutShort(new Map(), new Set()), null);
});

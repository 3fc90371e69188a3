import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, mscope } from './mscope.js';

test('shm drops are printed as DTrace prints them, and counted events plus drops equal the calls', async () => {
  // Ten million calls in bursts: the ring may or may not fill on a given machine; loss is never silent.
  const r = await mscope(
    ['run', '-q', '-b', 'shm', '-e', 'fn::f:entry { @ = count(); }', '--', 'node', 'app.mjs'],
    join(FIXTURES, 'drops'),
  );
  assert.equal(r.status, 0, r.stderr);
  const counted = Number(/^\s+(\d+)$/m.exec(r.stdout)?.[1]);
  const drops = [...r.stderr.matchAll(/^mscope: (\d+) drops on thread 0$/gm)].reduce((s, m) => s + Number(m[1]), 0);
  assert.equal(counted + drops, 10_000_000, r.stderr);
  if (drops > 0) assert.match(r.stderr, new RegExp(`^mscope: monitor script dropped ${drops} events$`, 'm'));
  else assert.equal(r.stderr, '');
});

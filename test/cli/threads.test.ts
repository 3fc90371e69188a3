import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, mscope } from './mscope.js';

const dir = join(FIXTURES, 'threads');

for (const binding of ['direct', 'shm', 'message']) {
  test(`probes fired on the program's worker threads are traced and merged (${binding})`, async () => {
    const r = await mscope(
      ['run', '-q', '-b', binding, '-e', 'fn::work:entry { @t[tid != 0] = count(); @all = count(); }', '--', 'node', 'app.mjs'],
      dir,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^\s+0\s+10$/m, 'the main thread made 10 calls');
    assert.match(r.stdout, /^\s+1\s+5$/m, 'the worker thread made 5');
    assert.match(r.stdout, /^\s+15$/m, 'one merged total');
    assert.equal(r.stderr, '');
  });
}

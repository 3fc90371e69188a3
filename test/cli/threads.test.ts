import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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

for (const binding of ['direct', 'shm', 'message']) {
  test(`the program sees the thread ids and 'worker' events of an untraced run, and so does tid (${binding})`, async () => {
    const plain = spawnSync(process.execPath, ['ids.mjs'], { cwd: dir, encoding: 'utf8' });
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(plain.stdout, /^main 0; a 1 \(inside 1, its worker 2 inside 2\); b 3 \(inside 3\); worker events 1 3$/m);
    const r = await mscope(['run', '-q', '-b', binding, '-e', 'fn::work:entry { @[tid] = count(); }', '--', 'node', 'ids.mjs'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split('\n')[0], plain.stdout.trimEnd());
    const tids = [...r.stdout.matchAll(/^\s+(\d+)\s+1$/gm)].map((m) => Number(m[1]));
    assert.deepEqual(tids, [0, 1, 2, 3]);
    assert.equal(r.stderr, '');
  });
}

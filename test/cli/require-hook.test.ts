import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES, mscope, withoutNotices } from './mscope.js';

// A main file of an extension only a CommonJS require hook knows (tsx/cjs, ts-node/register,
// @babel/register): Node 20 loads a main through its ES module loader once any --import is
// given, as the agent's is, and that loader knows no `.ts`.
const dir = join(FIXTURES, 'require-hook');
const TSX_CJS = fileURLToPath(new URL('../../node_modules/tsx/dist/cjs/index.cjs', import.meta.url));
const RUN = ['node', '--require', TSX_CJS, 'app.ts'];

test('node --require tsx/cjs app.ts: runs traced as untraced, and its functions are probed', async () => {
  const [cmd, ...args] = RUN;
  const plain = spawnSync(cmd!, args, { cwd: dir, encoding: 'utf8' });
  assert.equal(plain.status, 0, plain.stderr);
  assert.equal(plain.stdout, '2,4,6\n');
  for (const binding of ['direct', 'shm']) {
    const r = await mscope(['run', '-q', '-b', binding, '-e', 'fn::twice:entry { @[probefunc] = count(); }', '--', ...RUN], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(withoutNotices(r.stderr), '');
    assert.ok(r.stdout.startsWith(plain.stdout), r.stdout);
    assert.match(r.stdout, /^\s+twice\s+3$/m);
  }
});

// Node 22 and later load such a main through CommonJS even with an --import.
const NODE_20 = Number(process.versions.node.split('.')[0]) === 20;

test(
  'with an --import of its own, such a main fails traced as it does untraced (Node 20)',
  { skip: !NODE_20 && 'Node 22 and later load it' },
  async () => {
    const own = ['node', '--import', 'data:text/javascript,', '--require', TSX_CJS, 'app.ts'];
    const [cmd, ...args] = own;
    const plain = spawnSync(cmd!, args, { cwd: dir, encoding: 'utf8' });
    assert.notEqual(plain.status, 0);
    assert.match(plain.stderr, /ERR_UNKNOWN_FILE_EXTENSION/);
    const r = await mscope(['run', '-q', '-e', 'fn::twice:entry { @[probefunc] = count(); }', '--', ...own], dir);
    assert.equal(r.status, plain.status);
    assert.match(r.stderr, /ERR_UNKNOWN_FILE_EXTENSION/);
  },
);

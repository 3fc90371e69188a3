import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES, mscope } from './mscope.js';

// Node loads a CommonJS main through its ES module loader once any --import is given (the
// agent's is): the main's `module.id` and `module.parent` must still be those of an untraced run.
const dir = join(FIXTURES, 'main-module');

function untraced(args: readonly string[]): string {
  const r = spawnSync('node', [...args, 'main.js'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test("a CommonJS main's module.id and module.parent, traced, are those of an untraced run", async () => {
  const plain = untraced([]);
  assert.equal(plain, '{"id":".","parent":null,"isMain":true}\n');
  for (const program of ['fn::probed:entry { @ = count(); }', 'END {}', 'gc:::start {}']) {
    const r = await mscope(['run', '-q', '-e', program, '--', 'node', 'main.js'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split('\n')[0] + '\n', plain, program);
  }
});

test('a program given an --import of its own keeps what Node gives it then', async () => {
  const own = ['--import', 'data:text/javascript,'];
  const plain = untraced(own);
  const r = await mscope(['run', '-q', '-e', 'fn::probed:entry { @ = count(); }', '--', 'node', ...own, 'main.js'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.split('\n')[0] + '\n', plain);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES, collect, spawnMscope } from './mscope.js';

const esm = join(FIXTURES, 'esm');

for (const script of ['loop:::blocked { @ = count(); }', 'profile:::profile-97 { @ = count(); }', 'END {}']) {
  test(`a program's beforeExit listener runs as often as untraced under '${script}'`, async () => {
    const plain = spawnSync(process.execPath, ['before-exit.mjs'], { cwd: esm, encoding: 'utf8' });
    assert.equal(plain.stdout, 'beforeExit 1\n');
    const r = await collect(spawnMscope(['run', '-q', '-e', script, '--', 'node', 'before-exit.mjs'], esm));
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /Waiting for the debugger/);
    assert.equal(
      r.stdout
        .split('\n')
        .filter((l) => l.startsWith('beforeExit'))
        .join('\n') + '\n',
      plain.stdout,
    );
  });
}

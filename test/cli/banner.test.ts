import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES, mscope } from './mscope.js';

// What Node prints for an uncaught error (the file:line, the source line and caret of the
// throw, the stack) is what the program prints untraced, when no error probe is enabled.
const dir = join(FIXTURES, 'banner');

/** stderr without mscope's own lines. */
function programStderr(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !l.startsWith('mscope:'))
    .join('\n')
    .trim();
}

for (const file of ['rethrown.js', 'rethrown.cjs']) {
  test(`the uncaught-error banner through instrumented functions is the untraced one under fn:::entry (${file})`, async () => {
    const plain = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    assert.equal(plain.status, 1);
    assert.match(plain.stderr, /rethrown\.c?js:3\n {2}if \(n > 1\) throw new Error\(`boom \$\{n\}`\);\n/);
    const r = await mscope(['run', '-q', '-e', 'fn:::entry { @[probefunc] = count(); }', '--', 'node', file], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /thrower +2/);
    assert.equal(programStderr(r.stderr), programStderr(plain.stderr));
  });
}

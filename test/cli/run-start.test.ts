import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holdable } from '../../src/cli/commands/run-start.js';

// mscope run starts a CMD before compiling only when nothing of it can run before the agent holds it.
test('only Node itself, with no --require preload, is started before compiling', () => {
  const saved = process.env.NODE_OPTIONS;
  try {
    delete process.env.NODE_OPTIONS;
    assert.equal(holdable(['node', 'app.js']), true);
    assert.equal(holdable([process.execPath, '--import', 'tsx', 'app.ts']), true);
    assert.equal(holdable(['/usr/local/bin/nodejs', 'app.js']), true);
    assert.equal(holdable(['sh', '-c', 'node app.js']), false);
    assert.equal(holdable(['npx', 'tsx', 'app.ts']), false);
    assert.equal(holdable(['node', '-r', './preload.cjs', 'app.js']), false);
    assert.equal(holdable(['node', '--require', './preload.cjs', 'app.js']), false);
    assert.equal(holdable(['node', '--require=./preload.cjs', 'app.js']), false);
    process.env.NODE_OPTIONS = '--max-old-space-size=100 -r ./preload.cjs';
    assert.equal(holdable(['node', 'app.js']), false);
    process.env.NODE_OPTIONS = '--max-old-space-size=100';
    assert.equal(holdable(['node', 'app.js']), true);
  } finally {
    if (saved === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved;
  }
});

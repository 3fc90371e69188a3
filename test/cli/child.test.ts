import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitStatus } from '../../src/consumer/child.js';
import { REGISTER_URL, nodeOptionsWithAgent } from '../../src/agent/node-options.js';

test("mscope's status is CMD's code, or 128 + the signal number", () => {
  assert.equal(exitStatus({ code: 3, signal: null }), 3);
  assert.equal(exitStatus({ code: null, signal: 'SIGINT' }), 130);
  assert.equal(exitStatus({ code: null, signal: 'SIGTERM' }), 143);
});

test('the agent is added to NODE_OPTIONS once, after what is already there', () => {
  const flag = `--import=${REGISTER_URL.href}`;
  assert.equal(nodeOptionsWithAgent(undefined), flag);
  assert.equal(nodeOptionsWithAgent('--max-old-space-size=100'), `--max-old-space-size=100 ${flag}`);
  assert.equal(nodeOptionsWithAgent(nodeOptionsWithAgent('--trace-warnings')), `--trace-warnings ${flag}`);
  assert.match(REGISTER_URL.href, /\/agent\/register\.js$/);
});

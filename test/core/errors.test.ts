import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describeError } from '../../src/core/errors.js';

// What Node's permission model throws, taken from a real Node run under it: each denial says
// what was denied, where, and the flag that grants it.
const PERMISSION_FLAG = Number(process.versions.node.split('.')[0]) >= 22 ? '--permission' : '--experimental-permission';

function deniedError(code: string): { name: string; message: string; code: string; permission: string; resource: string } {
  const r = spawnSync(
    process.execPath,
    [
      PERMISSION_FLAG,
      '--allow-fs-read=*',
      '-e',
      `try { ${code} } catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message, code: e.code, permission: e.permission, resource: e.resource })) }`,
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(r.stdout) as ReturnType<typeof deniedError>;
}

function asError(fields: ReturnType<typeof deniedError>): Error {
  return Object.assign(new Error(fields.message), { code: fields.code, permission: fields.permission, resource: fields.resource });
}

test("a write Node's permission model denied: what, where, and --allow-fs-write", () => {
  const fields = deniedError("require('fs').writeFileSync('/tmp/mscope-denied-write', '')");
  assert.equal(fields.code, 'ERR_ACCESS_DENIED');
  assert.equal(
    describeError(asError(fields)),
    "Node's permission model denies FileSystemWrite on /tmp/mscope-denied-write (--allow-fs-write grants it)",
  );
});

test("a worker Node's permission model denied: --allow-worker", () => {
  const fields = deniedError("new (require('worker_threads').Worker)('1', { eval: true })");
  assert.equal(describeError(asError(fields)), "Node's permission model denies WorkerThreads (--allow-worker grants it)");
});

test('other errors: name and message', () => {
  assert.equal(describeError(new TypeError('no')), 'TypeError: no');
  assert.equal(describeError(Object.assign(new Error('denied'), { code: 'ERR_ACCESS_DENIED' })), 'Error: denied');
  assert.equal(describeError('text'), 'text');
});

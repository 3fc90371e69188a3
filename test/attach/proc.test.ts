import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkInspectable,
  checkNodeVersion,
  checkOwner,
  listeningSockets,
  processFacts,
  type ProcessFacts,
} from '../../src/attach/proc.js';
import { createServer, type AddressInfo } from 'node:net';

const node: ProcessFacts = {
  pid: 42,
  uid: 1000,
  gid: 1000,
  exe: '/usr/bin/node',
  argv: ['node', 'app.js'],
  nodeOptions: '',
  catchesUsr1: true,
  startTime: '1',
  cwd: '/srv/app',
};

test('the checks made before SIGUSR1: owner, Node, no inspector open, loopback only', () => {
  checkOwner(node, 1000);
  checkOwner(node, 0);
  assert.throws(() => checkOwner(node, 1001), { message: /^process 42 belongs to uid 1000, not to you \(uid 1001\)/ });
  checkInspectable(node);
  checkInspectable({ ...node, exe: '/opt/node22/bin/nodejs' });
  checkInspectable({ ...node, argv: ['node', '--inspect-port=127.0.0.1:9333', 'app.js'] });
  const refused: Array<[Partial<ProcessFacts>, RegExp]> = [
    [{ exe: '/usr/bin/python3' }, /is not a Node\.js process \(\/usr\/bin\/python3\)$/],
    [{ catchesUsr1: false }, /is not a Node\.js process/],
    [{ argv: ['node', '--inspect', 'app.js'] }, /already has an inspector open \(started with --inspect\)/],
    [{ nodeOptions: '--inspect-brk=0' }, /already has an inspector open \(started with --inspect-brk=0\)/],
    [{ argv: ['node', '--inspect-port=0.0.0.0:9229'] }, /would open its inspector on 0\.0\.0\.0/],
  ];
  for (const [facts, message] of refused)
    assert.throws(() => checkInspectable({ ...node, ...facts }), { code: 'MSCOPE_CANNOT_ATTACH', message });
});

test('Node 20 and newer only', () => {
  checkNodeVersion(42, 'v20.0.0');
  checkNodeVersion(42, 'v26.10.0');
  assert.throws(() => checkNodeVersion(42, 'v18.20.4'), {
    message: 'process 42 runs Node.js v18.20.4; attach needs Node.js 20 or newer',
  });
});

test("this process's facts, and the sockets it listens on, from /proc", async () => {
  const me = processFacts(process.pid);
  assert.equal(me.uid, process.getuid!());
  assert.equal(me.exe, process.execPath);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    assert.ok(listeningSockets(process.pid).some((s) => s.address === '127.0.0.1' && s.port === port));
  } finally {
    server.close();
  }
  assert.throws(() => processFacts(2 ** 22 + 12345), { message: `no process ${2 ** 22 + 12345}` });
});

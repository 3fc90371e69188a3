import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs, { existsSync, mkdtempSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CdpSession, closeWhenGone, openInspector } from '../../src/attach/inspector.js';
import { processFacts } from '../../src/attach/proc.js';
import { INSPECT_ANY_PORT, startApp, type App } from './harness.js';

// The bootstrap the inspector loads is the build's: the sources have none to load.
const BOOTSTRAP = new URL('../../dist/attach/bootstrap.cjs', import.meta.url).pathname;
const needsBuild = process.env.MSCOPE_TEST_TSX === '1' ? 'loads the built bootstrap (dist/attach/bootstrap.cjs)' : false;

/** Has the app close its inspector once our session has gone, and waits until it has. */
async function closeAndWait(app: App, cdp: CdpSession): Promise<void> {
  await closeWhenGone(cdp, BOOTSTRAP, join(mkdtempSync(join(tmpdir(), 'mscope-inspector-')), 'released'));
  const deadline = Date.now() + 5000;
  let state = (await app.state()) as { inspector: string | null };
  while (state.inspector !== null && Date.now() < deadline) state = (await app.state()) as { inspector: string | null };
  assert.equal(state.inspector, null);
}

// mscope's own WebSocket client (attach/inspector.ts) against Node's inspector: frames of every
// length form both ways (7-bit, 16-bit, 64-bit), answers in order, a clean close.
test("CdpSession speaks to Node's inspector: short, 16-bit and 64-bit lengths both ways, then closes", { skip: needsBuild }, async () => {
  const app = await startApp([INSPECT_ANY_PORT, 'server.cjs']);
  try {
    const info = await openInspector(processFacts(app.pid));
    const cdp = await CdpSession.connect(info.webSocketUrl);
    assert.equal(await cdp.evaluate('6 * 7'), 42);
    for (const n of [100, 1000, 70_000]) {
      // The expression's frame and the answer's both grow with n.
      const text = 'x'.repeat(n);
      assert.equal(await cdp.evaluate(`${JSON.stringify(text)}.length`), n);
      assert.equal(await cdp.evaluate(`'y'.repeat(${n})`), 'y'.repeat(n));
    }
    const answers = await Promise.all([1, 2, 3].map((i) => cdp.evaluate(`${i} + 1`)));
    assert.deepEqual(answers, [2, 3, 4]);
    await assert.rejects(cdp.evaluate('null.x'), /TypeError: Cannot read properties of null/);
    await closeAndWait(app, cdp);
    assert.deepEqual(await app.get('/after'), await app.get('/after'));
  } finally {
    app.child.kill();
  }
});

// An attach that ends before the agent is injected closes the inspector it opened. Closed with
// setImmediate while our session was still connected, about 1 close in 15 crashed the program
// (SIGSEGV, nodejs/node#18761) on every Node line; the bootstrap now closes it once we have gone.
test('closing an inspector we opened and injected nothing into never crashes the program: 30 cycles', { skip: needsBuild }, async () => {
  const app = await startApp([INSPECT_ANY_PORT, 'server.cjs']);
  try {
    for (let i = 0; i < 30; i++) {
      const cdp = await CdpSession.connect((await openInspector(processFacts(app.pid))).webSocketUrl);
      assert.equal(await cdp.evaluate('1 + 1'), 2);
      await closeAndWait(app, cdp);
    }
    assert.deepEqual(await app.get('/after'), await app.get('/after'));
  } finally {
    app.child.kill();
  }
});

/** A WebSocket server on loopback that answers the first frame with a text frame that is not JSON. */
async function notJsonInspector(): Promise<{ url: string; close: () => void }> {
  const server = createServer();
  server.on('upgrade', (_req, socket: Socket) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    socket.once('data', () => socket.write(Buffer.concat([Buffer.from([0x81, 9]), Buffer.from('not json!')])));
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/x`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

// Whatever answers on the inspector's port, a frame that is not CDP's JSON ends the session
// with an error for what waits on it; it used to throw from the socket's 'data' handler and
// take mscope down mid-attach.
test('CdpSession: a text frame that is not JSON ends the session, and the request waiting on it fails', async () => {
  const { url, close } = await notJsonInspector();
  try {
    const cdp = await CdpSession.connect(url);
    await assert.rejects(cdp.evaluate('1'), /not CDP's JSON|closed the connection/);
  } finally {
    close();
  }
});

// The close of an inspector we injected nothing into is asked by an evaluate; a refused one
// leaves the port open, which the caller must say: it used to be dropped without a word.
test('closeWhenGone: an evaluate the inspector refuses is thrown, after the session is released', async () => {
  const { url, close } = await notJsonInspector();
  const released = join(mkdtempSync(join(tmpdir(), 'mscope-inspector-')), 'released');
  try {
    const cdp = await CdpSession.connect(url);
    await assert.rejects(closeWhenGone(cdp, BOOTSTRAP, released), /not CDP's JSON|closed the connection/);
    assert.ok(existsSync(released));
  } finally {
    close();
  }
});

// /proc/PID/net/tcp costs about 1 ms a read however few sockets it lists; read every 5 ms while
// the inspector opened, it took a third of a CPU, for longer the busier the machine (attach.test.ts
// beside two busy loops: 34 CPU-s before, 23 after). A program whose own SIGUSR1 listener keeps
// the inspector shut holds the wait to its end: the table is read when its sockets change, and
// every 100 ms, not at each poll.
test("waiting for the inspector to open reads the process's TCP table when its sockets change, not at each poll", async () => {
  const child = spawn(process.execPath, ['-e', "process.on('SIGUSR1', () => {}); console.log('ready'); setInterval(() => {}, 1000)"], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const readFileSync = fs.readFileSync;
  let tableReads = 0;
  try {
    await once(child.stdout, 'data');
    fs.readFileSync = function (this: unknown, path: unknown, ...rest: unknown[]) {
      if (typeof path === 'string' && /\/net\/tcp6?$/.test(path)) tableReads++;
      return Reflect.apply(readFileSync, this, [path, ...rest]);
    } as typeof fs.readFileSync;
    syncBuiltinESMExports();
    await assert.rejects(openInspector(processFacts(child.pid!)), /nothing new listened within 5000 ms of SIGUSR1/);
  } finally {
    fs.readFileSync = readFileSync;
    syncBuiltinESMExports();
    child.kill();
  }
  // tcp and tcp6 once before the signal and about every 100 ms of the 5 s after; at each 5 ms poll it was over 1,000.
  assert.ok(tableReads <= 2 * (1 + 5000 / 100 + 2), `${tableReads} reads of /proc/PID/net/tcp{,6}`);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { capture, hasSubscribers, tick } from './helpers.js';
import type { NetSocket } from '../../src/providers/catalogue.js';

function echoServer(): Promise<net.Server> {
  const server = net.createServer((s) => s.pipe(s));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('connect, accept and close fire with addresses, ports and lifetime byte counts', async () => {
  const server = await echoServer();
  const port = (server.address() as AddressInfo).port;
  const cap = capture<NetSocket>('net:::');
  await new Promise<void>((resolve) => {
    const c = net.connect(port, '127.0.0.1', () => c.end('ping!'));
    c.resume();
    c.on('close', () => resolve());
  });
  await tick();
  await tick();
  cap.unlink();
  server.close();
  const byName = new Map(cap.names().map((n, i) => [n, cap.records()[i]!]));
  assert.deepEqual([...byName.keys()].sort(), ['client:close', 'client:connect', 'server:accept', 'server:close']);
  const connect = byName.get('client:connect')!;
  assert.equal(connect.remote_address, '127.0.0.1');
  assert.equal(connect.remote_port, port);
  assert.equal(connect.local_address, '127.0.0.1');
  const accept = byName.get('server:accept')!;
  assert.equal(accept.local_port, port);
  assert.equal(accept.remote_port, connect.local_port);
  const clientClose = byName.get('client:close')!;
  assert.deepEqual([clientClose.bytes_written, clientClose.bytes_read, clientClose.remote_port, clientClose.error], [5, 5, port, '']);
  assert.ok(clientClose.lifetime_ns > 0);
  const serverClose = byName.get('server:close')!;
  assert.deepEqual([serverClose.bytes_read, serverClose.bytes_written, serverClose.local_port], [5, 5, port]);
});

test('a refused connection fires error then close with the code and the peer it tried', async () => {
  const server = await echoServer();
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  const cap = capture<NetSocket>('net:client::');
  await new Promise<void>((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.on('error', () => {});
    c.on('close', () => resolve());
  });
  cap.unlink();
  assert.deepEqual(cap.names(), ['client:error', 'client:close']);
  assert.deepEqual(
    cap.records().map((r) => [r.error, r.remote_address, r.remote_port]),
    [
      ['ECONNREFUSED', '127.0.0.1', port],
      ['ECONNREFUSED', '127.0.0.1', port],
    ],
  );
});

test('a socket connected by Socket#connect and a TLS client fire connect and close once each, as net.connect does', async () => {
  // The server speaks no TLS: the TLS client's handshake fails after its TCP connection was made.
  const server = net.createServer((s) => s.end('not tls\n'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const cap = capture<NetSocket>('net:client::');
  const ended = (s: net.Socket): Promise<void> =>
    new Promise((resolve) => {
      s.on('error', () => {});
      s.resume();
      s.on('close', () => resolve());
    });
  await ended(new net.Socket().connect(port, '127.0.0.1'));
  await ended(tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false }));
  await ended(net.connect(port, '127.0.0.1'));
  await tick();
  cap.unlink();
  server.close();
  assert.deepEqual(cap.names(), [
    'client:connect',
    'client:close',
    'client:connect',
    'client:error',
    'client:close',
    'client:connect',
    'client:close',
  ]);
  for (const r of cap.records()) assert.deepEqual([r.remote_address, r.remote_port], ['127.0.0.1', port]);
});

test('disabling the net client probes leaves Socket#connect as it was', () => {
  const connect = net.Socket.prototype.connect;
  const cap = capture('net:client::connect');
  cap.unlink();
  assert.equal(net.Socket.prototype.connect, connect);
});

test('disabling net probes unsubscribes from the socket channels', () => {
  assert.ok(!hasSubscribers('net.client.socket') && !hasSubscribers('net.server.socket'));
  const cap = capture('net:server::accept');
  assert.ok(hasSubscribers('net.server.socket') && !hasSubscribers('net.client.socket'));
  cap.unlink();
  assert.ok(!hasSubscribers('net.server.socket'));
});

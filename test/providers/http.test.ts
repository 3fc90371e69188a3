import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { capture, hasSubscribers, tick } from './helpers.js';
import type { HttpRequest } from '../../src/providers/catalogue.js';

function startServer(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      res.statusCode = req.url === '/missing' ? 404 : 200;
      res.end(`echo:${body}`);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function request(port: number, path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('server and client request-start/request-done fire with method, url, status, bytes and latency', async () => {
  const server = await startServer();
  const port = (server.address() as AddressInfo).port;
  const cap = capture<HttpRequest>('http:::');
  await request(port, '/a?x=1', 'hello');
  await request(port, '/missing', '');
  await tick();
  cap.unlink();
  server.close();

  const names = cap.names();
  assert.equal(names.filter((n) => n === 'server:request-start').length, 2);
  assert.equal(names.filter((n) => n === 'server:request-done').length, 2);
  assert.equal(names.filter((n) => n === 'client:request-start').length, 2);
  assert.equal(names.filter((n) => n === 'client:request-done').length, 2);

  const recs = cap.records();
  const serverDone = recs.filter((_, i) => names[i] === 'server:request-done');
  assert.deepEqual(
    serverDone.map((r) => [r.method, r.url, r.status, r.remote_address]),
    [
      ['POST', '/a?x=1', 200, '127.0.0.1'],
      ['POST', '/missing', 404, '127.0.0.1'],
    ],
  );
  for (const r of serverDone) {
    assert.ok(r.latency_ns > 0, 'latency_ns measured');
    assert.ok(r.bytes_in > 60, `bytes_in counts headers and body, got ${r.bytes_in}`);
    assert.ok(r.bytes_out > 60, `bytes_out counts headers and body, got ${r.bytes_out}`);
    assert.equal(r.route, '');
    assert.equal(r.error, '');
  }
  const clientDone = recs.filter((_, i) => names[i] === 'client:request-done');
  assert.deepEqual(
    clientDone.map((r) => [r.method, r.url, r.status]),
    [
      ['POST', `http://127.0.0.1:${port}/a?x=1`, 200],
      ['POST', `http://127.0.0.1:${port}/missing`, 404],
    ],
  );
  assert.equal(clientDone[0]!.remote_port, port);
  assert.equal(clientDone[0]!.bytes_in, serverDone[0]!.bytes_out, 'what the server wrote is what the client read');
  assert.equal(clientDone[0]!.bytes_out, serverDone[0]!.bytes_in);
});

test('a failed client request fires request-done with the error code', async () => {
  const server = await startServer();
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  const cap = capture<HttpRequest>('http:client::request-done');
  await assert.rejects(request(port, '/', ''), { code: 'ECONNREFUSED' });
  cap.unlink();
  assert.deepEqual(
    cap.records().map((r) => [r.status, r.error]),
    [[0, 'ECONNREFUSED']],
  );
});

test('fetch() fires client request-start/request-done from undici, with method, url, status, peer, bytes and latency', async () => {
  const server = await startServer();
  const port = (server.address() as AddressInfo).port;
  const cap = capture<HttpRequest>('http:::');
  const a = await fetch(`http://127.0.0.1:${port}/a?x=1`, { method: 'POST', body: 'hello' });
  assert.equal(await a.text(), 'echo:hello');
  const missing = await fetch(`http://127.0.0.1:${port}/missing`);
  await missing.text();
  await tick();
  cap.unlink();
  server.closeAllConnections();
  server.close();

  const names = cap.names();
  const recs = cap.records();
  const clientStart = recs.filter((_, i) => names[i] === 'client:request-start');
  const clientDone = recs.filter((_, i) => names[i] === 'client:request-done');
  const serverDone = recs.filter((_, i) => names[i] === 'server:request-done');
  assert.deepEqual(
    clientStart.map((r) => [r.method, r.url, r.status]),
    [
      ['POST', `http://127.0.0.1:${port}/a?x=1`, 0],
      ['GET', `http://127.0.0.1:${port}/missing`, 0],
    ],
  );
  assert.deepEqual(
    clientDone.map((r) => [r.method, r.url, r.status, r.remote_address, r.remote_port, r.error]),
    [
      ['POST', `http://127.0.0.1:${port}/a?x=1`, 200, '127.0.0.1', port, ''],
      ['GET', `http://127.0.0.1:${port}/missing`, 404, '127.0.0.1', port, ''],
    ],
  );
  for (const r of clientDone) assert.ok(r.latency_ns > 0, 'latency_ns measured');
  assert.equal(serverDone.length, 2);
  assert.equal(clientDone[0]!.bytes_out, serverDone[0]!.bytes_in, 'what the client wrote is what the server read');
  assert.equal(clientDone[1]!.bytes_out, serverDone[1]!.bytes_in, 'on the kept-alive socket, counted from the exchange before');
  assert.ok(clientDone[0]!.bytes_in > 60, `bytes_in counts the response's headers, got ${clientDone[0]!.bytes_in}`);
});

test('a failed fetch() fires request-done with the error code; a body that fails after the response fires no second one', async () => {
  const closed = await startServer();
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const breaking = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('part');
    setTimeout(() => res.socket?.destroy(), 20);
  });
  await new Promise<void>((r) => breaking.listen(0, '127.0.0.1', r));
  const port = (breaking.address() as AddressInfo).port;
  const cap = capture<HttpRequest>('http:client::request-done');
  await assert.rejects(
    fetch(`http://127.0.0.1:${closedPort}/`),
    (e: Error & { cause?: { code?: string } }) => e.cause?.code === 'ECONNREFUSED',
  );
  const res = await fetch(`http://127.0.0.1:${port}/broken`);
  await assert.rejects(res.text());
  await tick();
  cap.unlink();
  breaking.close();
  assert.deepEqual(
    cap.records().map((r) => [r.url, r.status, r.error]),
    [
      [`http://127.0.0.1:${closedPort}/`, 0, 'ECONNREFUSED'],
      [`http://127.0.0.1:${port}/broken`, 200, ''],
    ],
  );
});

const NO_HTTP2_CHANNELS = Number(process.versions.node.split('.')[0]) < 22 ? 'Node 20 publishes no http2 channels' : false;

test(
  'HTTP/2 streams fire server and client request-start/request-done, and a reset stream the client error',
  { skip: NO_HTTP2_CHANNELS },
  async () => {
    const server = http2.createServer();
    server.on('stream', (stream, headers) => {
      stream.on('error', () => {});
      if (headers[':path'] === '/reset') return void stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      stream.respond({ ':status': headers[':path'] === '/missing' ? 404 : 200 });
      stream.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const cap = capture<HttpRequest>('http:::');
    const client = http2.connect(`http://127.0.0.1:${port}`);
    for (const [method, path] of [
      ['GET', '/'],
      ['POST', '/missing'],
      ['GET', '/reset'],
    ] as const) {
      await new Promise<void>((resolve) => {
        const req = client.request({ ':path': path, ':method': method });
        req.on('error', () => resolve());
        req.on('end', () => resolve());
        req.resume();
        req.end();
      });
    }
    await tick();
    cap.unlink();
    client.close();
    server.close();
    const names = cap.names();
    const rows = cap.records().map((r, i) => [names[i], r.method, r.url, r.status, r.error]);
    const url = `http://127.0.0.1:${port}`;
    const sorted = (xs: unknown[][]): unknown[][] => xs.sort((a, b) => String(a).localeCompare(String(b)));
    assert.deepEqual(
      sorted(rows),
      sorted([
        ['client:request-start', 'GET', `${url}/`, 0, ''],
        ['server:request-start', 'GET', '/', 0, ''],
        ['server:request-done', 'GET', '/', 200, ''],
        ['client:request-done', 'GET', `${url}/`, 200, ''],
        ['client:request-start', 'POST', `${url}/missing`, 0, ''],
        ['server:request-start', 'POST', '/missing', 0, ''],
        ['server:request-done', 'POST', '/missing', 404, ''],
        ['client:request-done', 'POST', `${url}/missing`, 404, ''],
        ['client:request-start', 'GET', `${url}/reset`, 0, ''],
        ['server:request-start', 'GET', '/reset', 0, ''],
        ['client:request-done', 'GET', `${url}/reset`, 0, 'ERR_HTTP2_STREAM_ERROR'],
      ]),
    );
    const done = cap.records().filter((r, i) => names[i]!.endsWith('request-done') && r.status !== 0);
    for (const r of done) {
      assert.equal(r.remote_address, '127.0.0.1');
      assert.ok(r.latency_ns > 0, 'latency_ns measured');
    }
  },
);

test('disabling the last http probe unsubscribes from every channel', () => {
  const channels = [
    'http.server.request.start',
    'http.server.response.finish',
    'http.client.request.start',
    'http.client.response.finish',
    'undici:request:create',
    'undici:client:sendHeaders',
    'undici:request:headers',
    'undici:request:error',
    'http2.server.stream.start',
    'http2.server.stream.finish',
    'http2.client.stream.start',
    'http2.client.stream.finish',
    'http2.client.stream.error',
  ];
  assert.ok(channels.every((c) => !hasSubscribers(c)));
  const a = capture('http:server::request-done');
  const b = capture('http:client::');
  assert.ok(channels.every((c) => hasSubscribers(c)));
  a.unlink();
  assert.ok(!hasSubscribers('http.server.request.start'));
  assert.ok(hasSubscribers('http.client.request.start'));
  b.unlink();
  assert.ok(channels.every((c) => !hasSubscribers(c)));
});

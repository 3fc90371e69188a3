import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
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

test('disabling the last http probe unsubscribes from every channel', () => {
  const channels = ['http.server.request.start', 'http.server.response.finish', 'http.client.request.start', 'http.client.response.finish'];
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

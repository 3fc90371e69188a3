import { test } from 'node:test';
import assert from 'node:assert/strict';
import dns from 'node:dns';
import { lookup as namedLookup } from 'node:dns';
import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { capture } from './helpers.js';
import type { DnsLookup } from '../../src/providers/catalogue.js';

test('dns.lookup in callback and promise forms fires lookup-start and lookup-done', async () => {
  const original = dns.lookup;
  const cap = capture<DnsLookup>('dns:lookup::');
  await new Promise<void>((resolve, reject) => namedLookup('localhost', { family: 4 }, (e) => (e ? reject(e) : resolve())));
  const all = await dns.promises.lookup('localhost', { all: true });
  cap.unlink();
  assert.equal(dns.lookup, original, 'original restored');
  assert.deepEqual(cap.names(), ['lookup:lookup-start', 'lookup:lookup-done', 'lookup:lookup-start', 'lookup:lookup-done']);
  const [startCb, doneCb, , donePromise] = cap.records();
  assert.deepEqual([startCb!.hostname, startCb!.family, startCb!.addresses], ['localhost', 4, []]);
  assert.deepEqual([doneCb!.hostname, doneCb!.family, doneCb!.addresses, doneCb!.error], ['localhost', 4, ['127.0.0.1'], '']);
  assert.ok(doneCb!.latency_ns > 0);
  assert.deepEqual(
    donePromise!.addresses,
    all.map((a) => a.address),
  );
});

test('a failed lookup carries its error code', async () => {
  const cap = capture<DnsLookup>('dns:lookup:promise:lookup-done');
  await assert.rejects(dns.promises.lookup('no-such-host.invalid'));
  cap.unlink();
  assert.equal(cap.records().length, 1);
  assert.match(cap.records()[0]!.error, /^E[A-Z]+/);
  assert.deepEqual(cap.records()[0]!.addresses, []);
});

test('the http client resolving a host name is seen', async () => {
  const server = http.createServer((_q, r) => r.end('ok'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const cap = capture<DnsLookup>('dns:::lookup-done');
  await new Promise<void>((resolve, reject) =>
    http.get({ host: 'localhost', port, family: 4, agent: false }, (res) => res.resume().on('end', resolve)).on('error', reject),
  );
  cap.unlink();
  server.close();
  assert.deepEqual(
    cap.records().map((r) => [r.hostname, r.addresses]),
    [['localhost', ['127.0.0.1']]],
  );
});

/** A name server on 127.0.0.1 that answers every A question with 10.1.2.3 (one answer, a pointer to the question's name). */
async function nameServer(): Promise<dgram.Socket> {
  const server = dgram.createSocket('udp4');
  server.on('message', (query, peer) => {
    const end = 12 + query.subarray(12).indexOf(0) + 5;
    const header = Buffer.from(query.subarray(0, 12));
    header.writeUInt16BE(0x8180, 2);
    header.writeUInt16BE(1, 6);
    const answer = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 1, 2, 3]);
    server.send(Buffer.concat([header, query.subarray(12, end), answer]), peer.port, peer.address);
  });
  await new Promise<void>((r) => server.bind(0, '127.0.0.1', r));
  return server;
}

test('resolve4 of the module and of a Resolver, in callback and promise forms, each fire once', async () => {
  const server = await nameServer();
  const at = `127.0.0.1:${server.address().port}`;
  const original = dns.Resolver.prototype.resolve4;
  const saved = [dns.getServers(), dns.promises.getServers()] as const;
  dns.setServers([at]);
  dns.promises.setServers([at]);
  const caps = [capture<DnsLookup>('dns:resolve4:callback:'), capture<DnsLookup>('dns:resolve4:promise:')];
  const fromModule = await new Promise<string[]>((resolve, reject) => dns.resolve4('example.test', (e, a) => (e ? reject(e) : resolve(a))));
  assert.deepEqual(await dns.promises.resolve4('example.test'), fromModule);
  dns.setServers(saved[0]);
  dns.promises.setServers(saved[1]);
  const resolver = new dns.Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([at]);
  const answer = await new Promise<string[]>((resolve, reject) =>
    resolver.resolve4('example.test', (e, a) => (e ? reject(e) : resolve(a))),
  );
  const promises = new dns.promises.Resolver({ timeout: 2000, tries: 1 });
  promises.setServers([at]);
  assert.deepEqual(await promises.resolve4('example.test'), ['10.1.2.3']);
  caps.forEach((c) => c.unlink());
  server.close();
  assert.deepEqual(answer, ['10.1.2.3']);
  assert.equal(dns.Resolver.prototype.resolve4, original, 'original restored');
  assert.deepEqual(fromModule, ['10.1.2.3']);
  // Each form: the module's function, then the Resolver's, each seen once.
  for (const cap of caps) {
    assert.deepEqual(
      cap.records().map((r, i) => [cap.names()[i], r.hostname, r.addresses]),
      [
        ['resolve4:lookup-start', 'example.test', []],
        ['resolve4:lookup-done', 'example.test', ['10.1.2.3']],
        ['resolve4:lookup-start', 'example.test', []],
        ['resolve4:lookup-done', 'example.test', ['10.1.2.3']],
      ],
    );
  }
});

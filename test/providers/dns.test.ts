import { test } from 'node:test';
import assert from 'node:assert/strict';
import dns from 'node:dns';
import { lookup as namedLookup } from 'node:dns';
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

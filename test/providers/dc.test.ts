import { test } from 'node:test';
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import net from 'node:net';
import { ProbeDescription, registry } from '../../src/core/index.js';
import { capture, hasSubscribers } from './helpers.js';
import { channelPresent, BUILTIN_CHANNELS } from '../../src/providers/dc-channels.js';

test('a channel named in a description becomes a probe that sees every publish', () => {
  const ch = dc.channel('myapp:cache:miss');
  ch.publish({ key: 'before' });
  const cap = capture('dc::"myapp:cache:miss":');
  ch.publish({ key: 'a' });
  ch.publish({ key: 'b' });
  cap.unlink();
  ch.publish({ key: 'after' });
  assert.deepEqual(cap.names(), ['channel:publish', 'channel:publish']);
  assert.deepEqual(
    cap.events.map((e) => [e.args[0], e.args[1]]),
    [
      [{ key: 'a' }, 'myapp:cache:miss'],
      [{ key: 'b' }, 'myapp:cache:miss'],
    ],
  );
  assert.ok(!ch.hasSubscribers, 'unsubscribed after the last unlink');
  assert.equal(registry.find(ProbeDescription.parse('dc::"myapp:cache:miss":*')).length, 1, 'no tracing probes for a plain channel');
});

test('TracingChannel events fire start, end, asyncStart, asyncEnd and error', async () => {
  const tc = dc.tracingChannel('myapp.query');
  const cap = capture('dc:tracing:"myapp.query":');
  tc.traceSync(() => 1, { sql: 'select 1' });
  await tc.tracePromise(async () => 2, { sql: 'select 2' });
  assert.throws(() =>
    tc.traceSync(
      () => {
        throw new Error('boom');
      },
      { sql: 'bad' },
    ),
  );
  cap.unlink();
  assert.deepEqual(cap.names(), [
    'tracing:start',
    'tracing:end',
    'tracing:start',
    'tracing:end',
    'tracing:asyncStart',
    'tracing:asyncEnd',
    'tracing:start',
    'tracing:error',
    'tracing:end',
  ]);
  assert.equal((cap.events[1]!.args[0] as { result: number }).result, 1);
  assert.equal(cap.events[1]!.args[1], 'tracing:myapp.query:end');
  assert.ok(!tc.hasSubscribers);
});

test('one TracingChannel event can be traced alone', () => {
  const tc = dc.tracingChannel('myapp.alone');
  const cap = capture('dc::"myapp.alone":end');
  tc.traceSync(() => 0, {});
  cap.unlink();
  assert.deepEqual(cap.names(), ['tracing:end']);
});

test('built-in channels are registered for the running Node version', async () => {
  const listen = registry.lookup('dc', 'tracing', 'net.server.listen', 'asyncEnd');
  assert.equal(
    listen !== undefined,
    channelPresent(
      BUILTIN_CHANNELS.find((c) => c.name === 'net.server.listen')!,
      process.versions.node,
    ),
  );
  assert.ok(registry.lookup('dc', 'channel', 'net.server.socket', 'publish'));
  const cap = capture('dc::"net.server.socket":');
  const server = net.createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  await new Promise<void>((r) =>
    net
      .connect((server.address() as net.AddressInfo).port, '127.0.0.1')
      .on('close', () => r())
      .resume(),
  );
  server.close();
  cap.unlink();
  assert.equal(cap.events.length, 1);
  assert.ok((cap.events[0]!.args[0] as { socket: unknown }).socket instanceof net.Socket);
  assert.ok(!hasSubscribers('net.server.socket'));
});

test('channel presence follows the release lines', () => {
  const c = { name: 'x', tracing: false, since: { 20: 16, 24: 0 } };
  assert.equal(channelPresent(c, '20.15.0'), false);
  assert.equal(channelPresent(c, '20.16.1'), true);
  assert.equal(channelPresent(c, '22.1.0'), true, 'an absent line follows the line below it');
  assert.equal(channelPresent({ ...c, since: { 24: 15 } }, '22.3.0'), false);
  assert.equal(channelPresent({ ...c, since: { 24: 15 } }, '26.0.0'), true);
});

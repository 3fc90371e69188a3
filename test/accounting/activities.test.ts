import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { currentActivity, ProbeEvent, registry } from '../../src/core/index.js';
import { acct, F, query, type AcctRecord } from '../../src/accounting/index.js';
import { link } from '../../src/weaver/index.js';

const SELF = fileURLToPath(import.meta.url);

before(() => acct.enable());
after(() => acct.disable());

describe('acct.run', () => {
  it('follows the activity across every kind of async boundary', async () => {
    const seen: number[] = [];
    let id = 0;
    await acct.run('boundaries', async () => {
      id = acct.current()!.id;
      seen.push(currentActivity());
      await sleep(1);
      seen.push(currentActivity());
      await new Promise<void>((r) => setImmediate(() => (seen.push(currentActivity()), r())));
      await new Promise<void>((r) => process.nextTick(() => (seen.push(currentActivity()), r())));
      await new Promise<void>((r) => queueMicrotask(() => (seen.push(currentActivity()), r())));
      await readFile(SELF);
      seen.push(currentActivity());
      await new Promise<void>((r) => setTimeout(() => (seen.push(currentActivity()), r()), 1));
    });
    assert.ok(id > 0);
    assert.deepEqual(seen, Array(seen.length).fill(id));
    assert.equal(currentActivity(), 0, 'outside the activity again');
  });

  it('keeps concurrent activities apart and returns what fn returns', async () => {
    const ids = await Promise.all(
      ['a', 'b', 'c'].map((t) =>
        acct.run(t, async () => {
          await sleep(1);
          return [t, acct.current()!.token];
        }),
      ),
    );
    assert.deepEqual(ids, [
      ['a', 'a'],
      ['b', 'b'],
      ['c', 'c'],
    ]);
  });

  it('stops the activity when fn throws, and rethrows', () => {
    assert.throws(
      () =>
        acct.run('throws', () => {
          throw new Error('boom');
        }),
      /boom/,
    );
    assert.equal(acct.ring.toArray().at(-1)!.token, 'throws');
  });

  it('fills every ProbeEvent.activity', () => {
    const probe = registry.register('test', 'acct', 'ev', 'fire');
    const ev = acct.run('events', () => new ProbeEvent(probe));
    assert.equal(ev.activity, acct.ring.toArray().at(-1)!.id);
    assert.equal(new ProbeEvent(probe).activity, 0);
  });
});

describe('start, stop, read, switchTo, metric, view', () => {
  it('works like Resourceful’s C API', async () => {
    const outerStart = performance.now();
    const act = acct.start('manual');
    const innerStart = performance.now();
    acct.metric('rows', 3);
    acct.metric('rows', 4);
    const view = acct.view()!;
    assert.equal(view, act.view(), 'the same view every time');
    await sleep(2);
    assert.equal(view[F.timerCount], 1, 'the view shows the timer without a read()');
    const live = acct.read()!;
    assert.equal(live.token, 'manual');
    assert.equal(live.done, false);
    const innerEnd = performance.now();
    const r = acct.stop()!;
    const outerEnd = performance.now();
    assert.equal(r.done, true);
    assert.equal(r.metrics.rows, 7);
    assert.ok(r.timer_count >= 1);
    // A libuv timer counts from the loop's cached clock, so sleep(2) may end under 2 ms of real time.
    // Bounds on the clock accounting reads (performance.now), 1 ns slack for its rounding to ns.
    const inner = (innerEnd - innerStart) * 1e6 - 1;
    const outer = (outerEnd - outerStart) * 1e6 + 1;
    assert.ok(r.latency_ns >= inner && r.latency_ns <= outer, `latency ${r.latency_ns} ns, bounds ${inner}..${outer} ns`);
    assert.equal(acct.read()!.id, r.id, 'read() after stop() returns the stopped record');
    assert.equal(acct.current(), null);
  });

  it('read() after run or stop returns the finished record with its counters, as a copy', async () => {
    const ran = await acct.run('ran', async () => {
      await readFile(SELF);
      return acct.current()!.id;
    });
    const afterRun = acct.read()!;
    assert.equal(afterRun.id, ran);
    assert.equal(afterRun.done, true);
    assert.equal(afterRun.fs_count, 1);
    assert.ok(afterRun.latency_ns > 0);
    assert.ok(afterRun.segments_count > 0);
    afterRun.fs_count = 99;
    assert.equal(acct.read()!.fs_count, 1, 'each read() is a fresh copy');

    acct.start('stopped');
    await readFile(SELF);
    const stopped = acct.stop()!;
    assert.deepEqual(acct.read(), stopped);
  });

  it('switchTo charges what follows to another open activity', () => {
    acct.start('stage-1');
    const prev = acct.switchTo('stage-2');
    assert.equal(prev, 'stage-1');
    assert.equal(acct.current()!.token, 'stage-2');
    assert.equal(acct.switchTo('stage-1'), 'stage-2');
    acct.stop();
    acct.switchTo('stage-2');
    const r = acct.stop()!;
    assert.equal(r.token, 'stage-2');
  });
});

describe('the acct provider and the query API', () => {
  it('fires acct:::start and acct:::done with the record as args[0]', async () => {
    const done: AcctRecord[] = [];
    let starts = 0;
    const h1 = link('acct:::done', (ev) => done.push(ev.args[0] as AcctRecord));
    const h2 = link('acct:::start', () => starts++);
    await acct.run('probed', () => sleep(1));
    h1.unlink();
    h2.unlink();
    assert.equal(starts, 1);
    assert.equal(done.length, 1);
    assert.equal(done[0]!.token, 'probed');
    assert.ok(done[0]!.latency_ns > 0);
    assert.equal(typeof done[0]!.fs_bytes, 'number');
  });

  it('maps, filters and folds the ring', async () => {
    for (let i = 0; i < 5; i++) await acct.run(i % 2 === 0 ? 'even' : 'odd', () => sleep(1));
    const evens = query(acct.ring.toArray())
      .filter((r) => r.token === 'even')
      .map((r) => r.timer_count)
      .fold((s, x) => s + x, 0);
    assert.equal(evens, 3);
  });
});

describe('HTTP server requests', () => {
  it('are activities with method and path, their net bytes, and their handler’s work', async () => {
    const server = http.createServer(async (req, res) => {
      await readFile(SELF);
      await sleep(1);
      res.end('hello');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const records: AcctRecord[] = [];
    const off = acct.onRecord((r) => records.push(r));
    for (const path of ['/a?x=1', '/b', '/a']) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      assert.equal(await res.text(), 'hello');
    }
    off();
    server.close();
    assert.deepEqual(
      records.map((r) => r.token),
      ['GET /a', 'GET /b', 'GET /a'],
    );
    for (const r of records) {
      assert.ok(r.net_in_bytes > 0 && r.net_out_bytes > 'hello'.length, `net bytes ${r.net_in_bytes}/${r.net_out_bytes}`);
      assert.equal(r.timer_count, 1);
      assert.ok(r.fs_count >= 1);
      assert.ok(r.cpu_ns > 0 && r.cpu_ns <= r.latency_ns);
    }
    assert.equal(F.latency, 0);
  });
});

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('HTTP/2 server streams', () => {
  const skip = Number(process.versions.node.split('.')[0]) < 22 ? 'Node 20 publishes no http2 channels' : false;
  it('are activities with method and path, and the work of their handler and of their body events', { skip }, async () => {
    const server = http2.createServer();
    server.on('stream', (stream, headers) => {
      void readFile(SELF).then(() => {
        stream.on('data', () => {});
        // The body's end comes from the session's socket: it must still count for this stream.
        stream.on('end', () => {
          void readFile(SELF).then(async () => {
            await sleep(1);
            stream.respond({ ':status': headers[':path'] === '/missing' ? 404 : 200 });
            stream.end('hello');
          });
        });
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    acct.disable();
    acct.enable({ traceparent: true });
    const records: AcctRecord[] = [];
    const off = acct.onRecord((r) => records.push(r));
    const client = http2.connect(`http://127.0.0.1:${port}`);
    for (const path of ['/a?x=1', '/missing', '/a']) {
      await new Promise<void>((resolve, reject) => {
        const req = client.request({
          ':path': path,
          ':method': 'POST',
          traceparent: TRACEPARENT,
          tracestate: 'vendor=1',
        });
        req.on('error', reject);
        req.resume();
        req.on('end', () => resolve());
        req.end('body');
      });
    }
    off();
    acct.disable();
    acct.enable();
    client.close();
    server.close();
    assert.deepEqual(
      records.map((r) => [r.token, r.traceparent, r.tracestate]),
      [
        ['POST /a', TRACEPARENT, 'vendor=1'],
        ['POST /missing', TRACEPARENT, 'vendor=1'],
        ['POST /a', TRACEPARENT, 'vendor=1'],
      ],
    );
    for (const r of records) {
      assert.equal(r.fs_count, 2, "the handler's read and the one after the body ended");
      assert.equal(r.timer_count, 1);
      assert.ok(r.latency_ns > 0);
    }
  });
});

describe('record sinks', () => {
  it('a sink that throws is reported once as a process warning and counted; the activity and other sinks go on', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    const before = acct.sinkFaults;
    const seen: string[] = [];
    const offBad = acct.onRecord(() => {
      throw new Error('sink broke');
    });
    const offGood = acct.onRecord((r) => seen.push(r.token));
    try {
      for (const t of ['s1', 's2', 's3']) assert.equal(await acct.run(t, async () => t.length), 2);
      await sleep(10);
    } finally {
      offBad();
      offGood();
      process.off('warning', onWarning);
    }
    assert.deepEqual(seen, ['s1', 's2', 's3']);
    assert.equal(acct.sinkFaults - before, 3);
    const ours = warnings.filter((w) => /accounting record sink/.test(w.message));
    assert.equal(ours.length, 1, warnings.map((w) => w.message).join('\n'));
    assert.match(ours[0]!.message, /Error: sink broke/);
  });
});

describe('disable', () => {
  it('a request in flight at disable that goes on reading its body does not switch accounting back on', async () => {
    let bodyRead!: () => void;
    const read = new Promise<void>((resolve) => (bodyRead = resolve));
    let headersIn!: () => void;
    const inHandler = new Promise<void>((resolve) => (headersIn = resolve));
    const server = http.createServer((req, res) => {
      headersIn();
      req.resume();
      req.on('end', () => {
        bodyRead();
        res.end('ok');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const client = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/body', agent: false });
    client.flushHeaders();
    try {
      await inHandler;
      // What a detach does while the request still waits for its body ('data' and 'end' come later).
      acct.disable();
      client.end('the body');
      await read;
      assert.equal(acct.enabled, false, 'the request body re-enabled accounting');
      const [res] = (await once(client, 'response')) as [http.IncomingMessage];
      res.resume();
    } finally {
      server.close();
      acct.enable();
    }
  });
});

describe('the ring', () => {
  after(() => acct.enable());

  it('keeps each record as it was at finish, oldest first, the same as sinks and read() got', () => {
    acct.enable({ ringSize: 3, providers: false });
    const sunk: AcctRecord[] = [];
    const off = acct.onRecord((r) => sunk.push(r));
    const stopped: AcctRecord[] = [];
    for (let i = 0; i < 5; i++) {
      const act = acct.start(`r${i}`);
      acct.metric('n', i + 1);
      act.add(F.fsBytes, 10 * i);
      stopped.push(acct.stop()!);
      // A straggler charging the finished activity changes none of its records.
      act.metric('n', 100);
      act.add(F.fsBytes, 1000);
    }
    off();
    assert.equal(acct.ring.pushed, 5);
    assert.equal(acct.ring.overwritten, 2);
    const kept = acct.ring.toArray();
    assert.deepEqual(
      kept.map((r) => [r.token, r.metrics.n, r.fs_bytes]),
      [
        ['r2', 3, 20],
        ['r3', 4, 30],
        ['r4', 5, 40],
      ],
    );
    assert.deepEqual(kept, stopped.slice(2));
    assert.deepEqual(kept, sunk.slice(2));
    assert.deepEqual(acct.read(), stopped[4]);
    acct.ring.clear();
    assert.deepEqual(acct.ring.toArray(), []);
    assert.deepEqual(acct.read(), stopped[4], 'read() keeps the last record after the ring is cleared');
  });
});

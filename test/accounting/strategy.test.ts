import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { hasAsyncContextFrame } from '../../src/accounting/als-context.js';
import { acct, type AcctRecord } from '../../src/accounting/index.js';
import { currentActivity, MscopeError } from '../../src/core/index.js';

const OFF = { cpu: false, loop: false, gc: false, fs: false, net: false, dns: false, pool: false, timers: false, child: false };

after(() => acct.disable());

describe('context strategy', () => {
  it('is AsyncLocalStorage when no subsystem needs hooks, on every Node, else hooks', async () => {
    acct.enable({ subsystems: OFF, providers: false });
    assert.equal((acct as unknown as { s: { tracker: { kind: string } } }).s.tracker.kind, 'als');
    const server = http.createServer(async (_req, res) => {
      await sleep(1);
      res.end(String(currentActivity()));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const records: AcctRecord[] = [];
    const off = acct.onRecord((r) => records.push(r));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await (await fetch(`http://127.0.0.1:${port}/x`)).text());
    off();
    server.close();
    assert.deepEqual(
      ids,
      records.map((r) => String(r.id)),
      'the handler ran in its own activity, not a leaked one',
    );
    const inner = await acct.run('als', async () => {
      await sleep(1);
      return currentActivity();
    });
    assert.equal(inner, acct.ring.toArray().at(-1)!.id);
  });

  it('with the default subsystems, hooks carry the activity on Node 20; on Node 24 ALS does, with hooks for segments', () => {
    acct.enable({ providers: false });
    assert.equal((acct as unknown as { s: { tracker: { kind: string } } }).s.tracker.kind, hasAsyncContextFrame() ? 'als+hooks' : 'hooks');
  });

  it('refuses als with a subsystem that needs segment boundaries', () => {
    assert.throws(
      () => acct.enable({ context: 'als' }),
      (e) => e instanceof MscopeError && e.code === 'MSCOPE_BAD_USAGE',
    );
  });
});

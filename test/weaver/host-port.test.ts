import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostPort } from '../../src/weaver/remote/host-port.js';

type Msg = { type: 'ack' | 'flush'; n: number };
const isAck = (m: Msg): boolean => m.type === 'ack';

test('receiveNow handles the acknowledgements at once and the rest, in order, before any later message', async () => {
  const seen: string[] = [];
  let fifth: () => void;
  const fiveSeen = new Promise<void>((resolve) => (fifth = resolve));
  const port = new HostPort<Msg>((m) => {
    if (seen.push(`${m.type}${m.n}`) === 5) fifth();
  });
  port.remote.postMessage({ type: 'ack', n: 1 });
  port.remote.postMessage({ type: 'flush', n: 2 });
  port.remote.postMessage({ type: 'ack', n: 3 });
  port.remote.postMessage({ type: 'flush', n: 4 });
  port.receiveNow(isAck, 100);
  assert.deepEqual(seen, ['ack1', 'ack3']);
  port.remote.postMessage({ type: 'ack', n: 5 });
  // Waited for, not slept on: a timer of 50 ms ran before the port's messages when the process
  // had been descheduled that long (libuv runs due timers before it polls). The port is unref'd:
  // a timer keeps the loop alive meanwhile.
  const alive = setTimeout(() => {}, 60_000);
  await fiveSeen;
  clearTimeout(alive);
  assert.deepEqual(seen, ['ack1', 'ack3', 'flush2', 'flush4', 'ack5']);
  port.close();
});

test('receiveNow reads at most the messages it is given: a host that posts without end cannot hold the caller', () => {
  let handled = 0;
  const port = new HostPort<Msg>(() => void handled++);
  for (let i = 0; i < 5000; i++) port.remote.postMessage({ type: 'ack', n: i });
  port.receiveNow(isAck, 100);
  assert.equal(handled, 100);
  port.close();
});

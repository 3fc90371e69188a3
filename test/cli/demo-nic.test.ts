import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { mscope } from './mscope.js';

test('mscope demo nic prints the telemetry under both bindings, each phase under each mode, and the policy against both', async () => {
  const r = await mscope(['demo', 'nic', '--packets', '1000'], tmpdir());
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const rows = r.stdout.split('\n');
  const binding = (name: string) =>
    rows
      .find((l) => l.startsWith(`${name} `))
      ?.trim()
      .split(/\s{2,}/);
  const message = binding('message')!;
  const direct = binding('direct')!;
  assert.ok(message && direct && binding('none'), r.stdout);
  // The monitor saw packets under each binding, never more than the driver handed on in its segment.
  const carried = /events carried: message (\d+), direct (\d+)/.exec(r.stdout);
  assert.ok(carried, r.stdout);
  assert.ok(Number(carried[1]) > 0 && Number(carried[2]) > 0, r.stdout);
  assert.ok(Number(message[1]) <= Number(carried[1]) && Number(direct[1]) <= Number(carried[2]), r.stdout);
  let phase = '';
  const seen: string[] = [];
  for (const l of rows.slice(rows.findIndex((x) => x.startsWith('phase ')) + 1)) {
    const m = /^(\S*)\s+(interrupt|polling|policy)\s+[\d.]+ µs\s+[\d.]+ µs\s+[\d.]+ ms\s+(\d+)\s+(\d+)$/.exec(l);
    if (m === null) break;
    if (m[1] !== '') phase = m[1]!;
    seen.push(`${phase} ${m[2]}`);
    // Fixed modes never switch.
    if (m[2] !== 'policy') assert.equal(m[4], '0', l);
  }
  assert.deepEqual(
    seen,
    ['idle', 'steady', 'burst', 'idle'].flatMap((p) => ['interrupt', 'polling', 'policy'].map((s) => `${p} ${s}`)),
  );
  assert.match(r.stdout, /^ {2}vs interrupt: CPU ×[\d.]+, worst-phase p99 ×[\d.]+, drops \d+ vs \d+; wins on /m);
  assert.match(r.stdout, /^ {2}vs polling {2}: CPU ×[\d.]+, worst-phase p99 ×[\d.]+, drops \d+ vs \d+; wins on /m);
});

test('mscope demo nic refuses a bad packet count in one line', async () => {
  const r = await mscope(['demo', 'nic', '--packets', 'many'], tmpdir());
  assert.equal(r.status, 2);
  assert.equal(r.stderr, "mscope demo nic: --packets needs a whole number of at least 100, not 'many'\n");
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentChannel } from '../../src/agent/channel.js';

test('messages are written only on flush, one JSON object per line; unserialisable data becomes a fault', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-channel-'));
  try {
    const file = join(dir, '1.ndjson');
    const ch = new AgentChannel(file);
    ch.send({ t: 'output', text: 'hi\n' });
    assert.equal(readFileSync(file, 'utf8'), '');
    ch.send({ t: 'final', monitor: 'm', data: { n: 1n } });
    ch.flush();
    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: string; monitor?: string; at: number });
    const { at, ...first } = lines[0]!;
    assert.deepEqual(first, { t: 'output', text: 'hi\n' });
    // Every line says when it was sent, on the monotonic clock shared by all processes.
    assert.ok(Number.isFinite(at) && at <= lines[1]!.at, `at ${at}, then ${lines[1]!.at}`);
    assert.equal(lines[1]!.t, 'fault');
    assert.equal(lines[1]!.monitor, 'm');
    ch.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionReader } from '../../src/consumer/reader.js';

// A shm or message flush of a monitor that printed much is one long line in the session file.
test('a line of many chunks is reassembled with a linear number of copied bytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-reader-'));
  const concat = Buffer.concat;
  let copied = 0;
  Buffer.concat = ((list: readonly Uint8Array[], length?: number) => {
    const out = concat(list, length);
    copied += out.length;
    return out;
  }) as typeof Buffer.concat;
  try {
    const text = 'x'.repeat(8 * 1024 * 1024);
    const line = `${JSON.stringify({ t: 'output', text })}\n`;
    appendFileSync(join(dir, '7.ndjson'), line);
    let got = '';
    const reader = new SessionReader(dir, (_pid, m) => (got = m.t === 'output' ? m.text : ''));
    reader.poll();
    reader.close();
    assert.equal(got.length, text.length);
    assert.ok(copied <= 2 * line.length, `copied ${copied} bytes to reassemble a line of ${line.length}`);
  } finally {
    Buffer.concat = concat;
    rmSync(dir, { recursive: true, force: true });
  }
});

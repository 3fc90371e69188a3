import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mscope } from '../cli/mscope.js';
import { AgentChannel, SEGMENT_BYTES } from '../../src/agent/channel.js';
import { SessionReader } from '../../src/consumer/reader.js';

// A full disk under the session directory: a 1 MB tmpfs as TMPDIR, where mounting is allowed.
const dir = fileURLToPath(new URL('../fixtures/cli-faults/', import.meta.url));
const PRINTF = `fn::add:entry { printf("%d ${'x'.repeat(100)}\\n", arg0); }`;

function smallTmpfs(): string | null {
  const mnt = mkdtempSync(join(tmpdir(), 'mscope-tmpfs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], { stdio: 'ignore' });
  if (r.status === 0) return mnt;
  rmSync(mnt, { recursive: true, force: true });
  return null;
}

const mnt = process.platform === 'linux' && process.getuid?.() === 0 ? smallTmpfs() : null;

test(
  'a full disk under the session directory never reaches the program; the loss is reported',
  { skip: mnt === null ? 'mounting a tmpfs needs root and a kernel that allows it here' : false, timeout: 60_000 },
  async () => {
    try {
      const r = await mscope(['run', '-e', PRINTF, '--', 'node', 'many-calls.mjs'], dir, { TMPDIR: mnt! });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^done$/m);
      // Reported by the agent when a later write gets through, else by mscope: the final report never
      // came, or the disk filled in the middle of a message and mscope found it cut short.
      assert.match(
        r.stderr,
        /^mscope: (\d+ drops on thread \d+|process \d+ sent no final report .*|\d+ agent messages were cut short .*)$/m,
      );
      assert.doesNotMatch(r.stderr, /ENOSPC|Error/);
    } finally {
      spawnSync('umount', [mnt!], { stdio: 'ignore' });
      rmSync(mnt!, { recursive: true, force: true });
    }
  },
);

test('the session files stay bounded: an agent continues in a new file, and mscope deletes each once read', () => {
  const session = mkdtempSync(join(tmpdir(), 'mscope-segments-'));
  try {
    const channel = new AgentChannel(join(session, '5.ndjson'));
    let read = 0;
    const reader = new SessionReader(session, () => read++);
    const text = 'y'.repeat(64 * 1024);
    let most = 0;
    for (let i = 0; i < 400; i++) {
      channel.send({ t: 'output', text });
      channel.flush();
      if (i % 20 === 19) reader.poll();
      most = Math.max(most, diskUse(session));
    }
    channel.close();
    reader.poll();
    reader.close();
    assert.equal(read, 400);
    assert.ok(most <= 2 * SEGMENT_BYTES, `${most} bytes in the session directory for ${400 * text.length} written`);
  } finally {
    rmSync(session, { recursive: true, force: true });
  }
});

function diskUse(path: string): number {
  return readdirSync(path).reduce((n, f) => n + statSync(join(path, f)).size, 0);
}

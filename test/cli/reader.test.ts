import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionReader } from '../../src/consumer/reader.js';
import type { AgentMessage } from '../../src/agent/protocol.js';

function withDir(f: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-reader-'));
  try {
    f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('reads each file from where it left off and holds back a line until its newline', () => {
  withDir((dir) => {
    const seen: [number, AgentMessage][] = [];
    const reader = new SessionReader(dir, (pid, m) => seen.push([pid, m]));
    const file = join(dir, '42.ndjson');
    appendFileSync(file, '{"t":"output","text":"a"}\n{"t":"out');
    reader.poll();
    assert.deepEqual(seen, [[42, { t: 'output', text: 'a' }]]);
    appendFileSync(file, 'put","text":"é"}\n');
    reader.poll();
    assert.deepEqual(seen[1], [42, { t: 'output', text: 'é' }]);
    reader.poll();
    assert.equal(seen.length, 2, 'nothing is delivered twice');
    reader.close();
    assert.deepEqual(reader.corrupt, new Map());
  });
});

test('files are taken in pid order; invalid and unfinished lines are counted as corrupt, by the pid that wrote them', () => {
  withDir((dir) => {
    const pids: number[] = [];
    const reader = new SessionReader(dir, (pid) => pids.push(pid));
    appendFileSync(join(dir, '100.ndjson'), '{"t":"exit-request","code":1}\n');
    appendFileSync(join(dir, '99.ndjson'), '{"t":"exit-request","code":2}\nnot json\n{"t":"ou');
    appendFileSync(join(dir, 'other.txt'), 'ignored\n');
    reader.poll();
    assert.deepEqual(pids, [99, 100]);
    reader.close();
    assert.deepEqual(reader.corrupt, new Map([[99, 2]]));
  });
});

test('lines read in one poll from several agents are delivered in the order they were sent, each agent in its own order', () => {
  withDir((dir) => {
    const seen: string[] = [];
    const reader = new SessionReader(dir, (pid, m) => seen.push(`${pid}:${(m as { monitor?: string }).monitor}`));
    // The child (pid 200) sent its last report before the parent (pid 100) sent its own.
    appendFileSync(
      join(dir, '100.ndjson'),
      '{"t":"fault","monitor":"p1","message":"","at":10}\n{"t":"fault","monitor":"p2","message":"","at":40}\n',
    );
    appendFileSync(
      join(dir, '200.ndjson'),
      '{"t":"fault","monitor":"c1","message":"","at":20}\n{"t":"fault","monitor":"c2","message":"","at":30}\n',
    );
    reader.poll();
    reader.close();
    assert.deepEqual(seen, ['100:p1', '200:c1', '200:c2', '100:p2']);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, mscope } from './mscope.js';

/**
 * Issue 10: a TypeScript monitor costs the traced process a bounded amount of memory over the
 * same monitor written in JavaScript. tsx's esbuild worker thread once started an agent of its
 * own, which loaded the monitor again and started another worker: on Node 20 two threads and
 * some 30 MB a second for as long as the program ran, idle or not. The fixtures sit in a
 * CommonJS package, as most monitors do: there tsx transforms through esbuild's transformSync,
 * which is what starts the worker.
 */
const DIR = join(FIXTURES, 'memory');
const MB = 1 << 20;

async function rssWith(monitor: string, scratch: string): Promise<number> {
  const rssFile = join(scratch, `${monitor}.rss`);
  const r = await mscope(['run', '--monitor', monitor, '--', 'node', 'idle-work.cjs'], DIR, { RSS_FILE: rssFile });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^calls 100000 sum \d+\nwork calls 100000\n$/, r.stderr);
  return Number(readFileSync(rssFile, 'utf8'));
}

test('a TypeScript monitor grows the idle traced process by a bounded amount over the same .mjs monitor', async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'mscope-memory-'));
  const [ts, mjs] = await Promise.all([rssWith('count.ts', scratch), rssWith('count.mjs', scratch)]);
  // Measured +3 to +19 MB (Node 24 to Node 20); the runaway threads cost 60 MB or more in 3 s.
  assert.ok(
    ts - mjs < 40 * MB,
    `with count.ts the process ends at ${Math.round(ts / MB)} MB, with count.mjs at ${Math.round(mjs / MB)} MB`,
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, mscope } from './mscope.js';

/**
 * Issue 10: a TypeScript monitor costs the traced process no more memory than the same monitor
 * written in JavaScript: mscope compiles it, and the process imports JavaScript. Loaded through
 * tsx in the process, it cost some 20 MB more on Node 20 (esbuild's service and tsx's hooks
 * thread), and once tsx's esbuild worker thread started an agent of its own, which loaded the
 * monitor again and started another worker: two threads and some 30 MB a second. The fixtures
 * sit in a CommonJS package, as most monitors do.
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

test('a TypeScript monitor grows the idle traced process by little more than the same .mjs monitor', async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'mscope-memory-'));
  const [ts, mjs] = await Promise.all([rssWith('count.ts', scratch), rssWith('count.mjs', scratch)]);
  // Measured under 1 MB apart on Node 20 (+19 MB through tsx); the runaway threads cost 60 MB or more in 3 s.
  assert.ok(
    ts - mjs < 10 * MB,
    `with count.ts the process ends at ${Math.round(ts / MB)} MB, with count.mjs at ${Math.round(mjs / MB)} MB`,
  );
});

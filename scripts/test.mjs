#!/usr/bin/env node
// Runs every test/**/*.test.ts with node:test through tsx; extra args narrow by substring.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'fixtures' || name === 'golden') continue;
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = find('test')
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`scripts/test.mjs: no test files match ${filters.join(' ')}`);
  process.exit(1);
}
const node = process.env.MSCOPE_TEST_NODE ?? process.execPath;
// Worker threads and host processes load the built dist/ (tests run after the build): a
// worker that had to register tsx and load the sources again starts several times slower.
const env = { ...process.env, MSCOPE_BUILT_THREADS: '1' };
const r = spawnSync(node, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit', env });
process.exit(r.status ?? 1);

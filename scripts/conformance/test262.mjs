#!/usr/bin/env node
// test262 `test/language`, each test plainly and through microScope's rewrite with every fn probe
// linked; prints counts per directory and every difference.
// Usage: test262.mjs [--sample] [--json FILE] [--file TEST]... [substring...]
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runPool } from './test262/pool.mjs';
import { TEST262 } from './test262/runner.mjs';
import { listTests, sampleFiles } from './test262/sample.mjs';
import { printSummary, summarize } from './test262/report.mjs';

const args = process.argv.slice(2);
const sample = args.includes('--sample');
const jsonAt = args.indexOf('--json');
const json = jsonAt >= 0 ? args[jsonAt + 1] : null;
const extra = args.flatMap((a, i) => (args[i - 1] === '--file' ? [resolve(a)] : []));
const filters = args.filter((a, i) => !a.startsWith('--') && i !== jsonAt + 1 && args[i - 1] !== '--file');

if (TEST262 === null) {
  process.stderr.write('test262.mjs: no shared/test262 beside this checkout; set TEST262_DIR\n');
  process.exit(2);
}
let files = sample ? sampleFiles() : listTests(resolve(TEST262, 'test/language'));
if (filters.length > 0) files = files.filter((f) => filters.some((s) => f.includes(s)));
files.push(...extra);

const started = performance.now();
let done = 0;
const progress = process.stderr.isTTY;
const results = await runPool(files, {
  onResult: () => {
    done++;
    if (progress && done % 250 === 0) process.stderr.write(`\r${done}/${files.length}`);
  },
});
if (progress) process.stderr.write('\r');
const s = summarize(results);
printSummary(s);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`\n${files.length} files in ${seconds.toFixed(1)} s\n`);
if (json !== null) {
  const extras = Object.fromEntries(extra.map((f) => [f, results.get(f)]));
  const report = {
    node: process.version,
    seconds,
    files: files.length,
    groups: Object.fromEntries(s.groups),
    total: s.total,
    extras,
    ...s,
  };
  delete report.groups;
  report.groups = Object.fromEntries(s.groups);
  writeFileSync(json, JSON.stringify(report, null, 1));
}
const fired = s.total.entry + s.total.return + s.total.error;
if (fired === 0) process.stdout.write('NO PROBE FIRED: the rewrite or the runtime is not active\n');
process.exitCode = s.differences.length > 0 || s.silent.length > 0 || s.harnessErrors.length > 0 || fired === 0 ? 1 : 0;

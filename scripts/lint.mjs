#!/usr/bin/env node
// `npm run lint`: eslint, then prettier --check, each with its own cache. Both key their caches
// by the Node version, so CI, which runs `npm test` on four Node lines over one tree, linted
// every file four times. A lint's outcome does not depend on the Node that runs it: once both
// pass, the hash of what they read is kept, and a run over the same files skips them.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const PASSED = 'node_modules/.cache/mscope-lint/passed';
const STEPS = [
  ['eslint', '--cache', '--cache-location', 'node_modules/.cache/eslint/', '.'],
  ['prettier', '--check', '--cache', '.'],
];

/**
 * Hash of the linters' versions and of every file git does not ignore: what eslint and prettier
 * read, and more (prettier reads .gitignore; eslint.config.js ignores what it does). Null outside a git checkout.
 */
function treeHash() {
  let listed;
  try {
    listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
  } catch (e) {
    console.error(`scripts/lint.mjs: no git file list (${e.message.split('\n')[0]}): linting without a record`);
    return null;
  }
  const hash = createHash('sha256');
  for (const pkg of ['eslint', 'prettier'])
    hash.update(`${pkg}@${JSON.parse(readFileSync(`node_modules/${pkg}/package.json`, 'utf8')).version}\0`);
  for (const file of listed.split('\0').filter(Boolean).sort()) {
    hash.update(`${file}\0`);
    // A file deleted but not yet staged is listed by --cached: its absence is what is hashed.
    const st = lstatSync(file, { throwIfNoEntry: false });
    hash.update(st === undefined ? '\0deleted' : st.isSymbolicLink() ? `\0link ${readlinkSync(file)}` : readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const hash = treeHash();
const record = existsSync(PASSED) ? readFileSync(PASSED, 'utf8').trim() : '';
if (hash !== null && record.startsWith(`${hash} `)) {
  console.log(`lint: no file changed since eslint and prettier passed ${record.slice(hash.length + 1)}; not run again`);
  process.exit(0);
}
for (const [bin, ...args] of STEPS) {
  const r = spawnSync(process.execPath, [`node_modules/${bin}/bin/${bin === 'eslint' ? 'eslint.js' : 'prettier.cjs'}`, ...args], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (hash !== null) {
  mkdirSync(dirname(PASSED), { recursive: true });
  // Renamed into place: a lint beside this one never reads half a record.
  writeFileSync(`${PASSED}.${process.pid}`, `${hash} on Node ${process.version}\n`);
  renameSync(`${PASSED}.${process.pid}`, PASSED);
}

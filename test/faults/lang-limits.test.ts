import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mscope } from '../cli/mscope.js';

// Programs at the edges of the language's limits, through the built CLI.
const dir = fileURLToPath(new URL('../fixtures/cli-faults/', import.meta.url));

// Scripts this long exceed one argument's limit (128 KiB), so they go through `-s FILE`.
const scripts = mkdtempSync(join(tmpdir(), 'mscope-lang-limits-'));
process.on('exit', () => rmSync(scripts, { recursive: true, force: true }));
function scriptFile(name: string, text: string): string {
  const file = join(scripts, name);
  writeFileSync(file, text);
  return file;
}

const chain = (n: number, term: (i: number) => string, op: string): string => Array.from({ length: n }, (_, i) => term(i)).join(` ${op} `);

test('deep nesting is refused with one located line, not an internal error', async () => {
  const r = await mscope(['run', '-e', `BEGIN { x = ${'('.repeat(450)}1${')'.repeat(450)}; exit(0); }`], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /internal error|RangeError/);
  assert.match(r.stderr, /^-e:1:\d+: [^\n]*nest/);
});

test('every kind of deep nesting is a located error, one per clause', async () => {
  const script = [
    `BEGIN { x = ${'-'.repeat(10000)}1; }`,
    `BEGIN { x = ${'1 ? 1 : '.repeat(10000)}1; }`,
    `BEGIN { x = ${'x = '.repeat(10000)}1; }`,
    `BEGIN { s = ${'strjoin('.repeat(2000)}"a"${', "b")'.repeat(2000)}; }`,
    `BEGIN { x = ${'(int)'.repeat(5000)}1; }`,
  ].join('\n');
  const file = scriptFile('deep.d', script);
  const r = await mscope(['run', '-s', file], dir);
  assert.equal(r.status, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /internal error|RangeError/);
  const located = r.stderr.split('\n').filter((l) => l.startsWith(file + ':'));
  assert.deepEqual(
    located.map((l) => l.replace(/:\d+: /, ': ')),
    [1, 2, 3, 4, 5].map((n) => `${file}:${n}: expression nested more than 128 levels deep [D2010]`),
  );
});

test('long chains compile and run: sums, mixed operators, logical chains, nesting under the limit', async () => {
  const script = `BEGIN {
    printf("%d\\n", ${chain(1500, () => '1', '+')});
    printf("%d\\n", ${chain(10000, () => '1', '+')});
    printf("%d\\n", ${chain(5000, () => '2 * 3 - 5', '+')});
    printf("%d %d\\n", ${chain(10000, () => '1', '&&')}, ${chain(10000, (i) => (i === 9999 ? '1' : '0'), '||')});
    printf("%d\\n", ${chain(10000, () => '1', '<')});
    printf("%d\\n", ${'('.repeat(100)}7${')'.repeat(100)});
  }
  BEGIN / ${chain(10000, () => '1 == 1', '&&')} && ${chain(10000, (i) => String(i), '+')} == ${(9999 * 10000) / 2} / { printf("predicate\\n"); exit(0); }`;
  let lessChain = 1;
  for (let i = 1; i < 10000; i++) lessChain = lessChain < 1 ? 1 : 0;
  const r = await mscope(['run', '-q', '-s', scriptFile('chains.d', script)], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, ['1500', '10000', '5000', '1 1', String(lessChain), '7', 'predicate', ''].join('\n'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, ROOT, mscope } from './mscope.js';

const esm = join(FIXTURES, 'esm');

/** Each case: arguments, expected status, the single stderr line, whether CMD ran. */
const cases: [string, string[], number, RegExp, boolean][] = [
  [
    'missing monitor file',
    ['run', '--monitor', 'missing.ts', '--', 'node', 'app.mjs'],
    1,
    /^mscope: monitor missing\.ts: no such file$/,
    false,
  ],
  [
    'monitor with a syntax error',
    ['run', '--monitor', '../monitors/syntax-error.ts', '--', 'node', 'app.mjs'],
    1,
    /^mscope: monitor \.\.\/monitors\/syntax-error\.ts: \S*syntax-error\.ts:3:\d+: .+$/,
    false,
  ],
  // An ES module's parse error came with no place at all (`SyntaxError: Unexpected token ';'`).
  [
    'JavaScript monitor with a syntax error',
    ['run', '--monitor', '../monitors/syntax-error.mjs', '--', 'node', 'app.mjs'],
    1,
    /^mscope: monitor \.\.\/monitors\/syntax-error\.mjs: \.\.\/monitors\/syntax-error\.mjs:3:20: SyntaxError: Unexpected token '?;'?$/,
    false,
  ],
  [
    'CommonJS monitor with a syntax error',
    ['run', '--monitor', '../monitors/syntax-error.cjs', '--', 'node', 'app.mjs'],
    1,
    /^mscope: monitor \.\.\/monitors\/syntax-error\.cjs: \/\S*\/syntax-error\.cjs:4: SyntaxError: Unexpected token '?;'?$/,
    false,
  ],
  [
    'monitor importing a file with a syntax error',
    ['run', '--monitor', '../monitors/imports-syntax-error.mjs', '--', 'node', 'app.mjs'],
    1,
    /^mscope: monitor \.\.\/monitors\/imports-syntax-error\.mjs: SyntaxError: Unexpected token '?;'?$/,
    false,
  ],
  [
    'monitor without probes',
    ['run', '--monitor', '../monitors/no-probes.ts', '--', 'node', 'app.mjs'],
    1,
    /^mscope: monitor \.\.\/monitors\/no-probes\.ts: exports no probes/,
    false,
  ],
  [
    'probe description that matches nothing',
    ['run', '-q', '--monitor', '../monitors/nothing-matches.ts', '--', 'node', 'app.mjs'],
    1,
    /^mscope: monitor \.\.\/monitors\/nothing-matches\.ts: probe description "fn:no\/such\/module\.js::entry" matched no probes$/,
    true,
  ],
  [
    'monitor whose onExit throws',
    ['run', '-q', '--monitor', '../monitors/throws-on-exit.ts', '--', 'node', 'app.mjs'],
    1,
    /^mscope: monitor \.\.\/monitors\/throws-on-exit\.ts threw in finish: Error: cannot print$/,
    true,
  ],
  ['command not found', ['run', '--', 'no-such-command-mscope'], 1, /^mscope: no-such-command-mscope: command not found$/, false],
  // Refused before BEGIN, as dtrace -c fails before its program runs: a BEGIN that exits used to hide it (status 0).
  [
    'command not found, with a BEGIN that exits',
    ['run', '-q', '-e', 'BEGIN { exit(0); }', '--', 'no-such-command-mscope'],
    1,
    /^mscope: no-such-command-mscope: command not found$/,
    false,
  ],
  ['a directory as the command', ['run', '-q', '-e', 'BEGIN { exit(0); }', '--', '.'], 1, /^mscope: \.: permission denied$/, false],
  ['unknown flag', ['run', '--frob', '--', 'node', 'app.mjs'], 2, /^mscope run: unknown option '--frob'$/, false],
  [
    'misspelt flag',
    ['run', '--quite', '--', 'node', 'app.mjs'],
    2,
    /^mscope run: unknown option '--quite'; did you mean '--quiet'\?$/,
    false,
  ],
  ['misspelt top-level flag', ['--verison'], 2, /^mscope: unknown option '--verison'; did you mean '--version'\?$/, false],
  ['unknown binding', ['run', '-b', 'tcp', '--', 'node', 'app.mjs'], 2, /^mscope run: unknown binding "tcp"/, false],
  ['missing command', ['run', '--monitor', '../monitors/count.ts'], 2, /^mscope run: missing -- CMD$/, false],
  ['unknown command', ['frobnicate'], 2, /^mscope: unknown command 'frobnicate' \(try mscope --help\)$/, false],
  ["a name from Object's prototype", ['constructor'], 2, /^mscope: unknown command 'constructor' \(try mscope --help\)$/, false],
  ['help on a name from Object.prototype', ['help', 'toString'], 2, /^mscope help: unknown command 'toString'/, false],
  ['misspelt command', ['rnu'], 2, /^mscope: unknown command 'rnu'; did you mean 'run'\?$/, false],
  [
    'unknown -x option',
    ['run', '-x', 'quite', '-e', 'BEGIN { exit(0); }', '--', 'node', 'app.mjs'],
    1,
    /^-x quite: unknown option `quite`; did you mean `quiet`\? \[D3007\]$/,
    false,
  ],
  [
    'bad -x value',
    ['run', '-x', 'nspec=lots', '-e', 'BEGIN { exit(0); }', '--', 'node', 'app.mjs'],
    1,
    /^-x nspec=lots: invalid value `lots` for option `nspec` \[D3012\]$/,
    false,
  ],
  [
    'unwritable output file',
    ['run', '-o', '/nonexistent-dir/out.txt', '--', 'node', 'app.mjs'],
    2,
    /^mscope: cannot write \/nonexistent-dir\/out\.txt: ENOENT$/,
    false,
  ],
];

for (const [name, args, status, line, ran] of cases) {
  test(`${name}: one line on stderr, status ${status}`, async () => {
    const r = await mscope(args, esm);
    assert.equal(r.status, status, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, line);
    assert.equal(r.stdout.includes('app: total'), ran, 'CMD runs only when the monitors are valid');
  });
}

test('--version and -V print the package version', async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const r = await mscope([flag], esm);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `mscope ${version}\n`);
  }
});

test('--help and help run print usage', async () => {
  const top = await mscope(['--help'], esm);
  assert.equal(top.status, 0);
  assert.match(top.stdout, /^usage: mscope <command>/);
  const run = await mscope(['help', 'run'], esm);
  assert.equal(run.status, 0);
  assert.match(run.stdout, /^usage: mscope run \[-e PROGRAM \| -s FILE\]/);
  const flag = await mscope(['list', '--help'], esm);
  assert.match(flag.stdout, /^usage: mscope list/);
});

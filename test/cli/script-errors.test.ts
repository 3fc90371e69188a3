import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, mscope, withoutNotices } from './mscope.js';

// Script errors, warnings and `mscope list -e` through the built CLI.
const dir = join(FIXTURES, 'scripts');

/** The rows of `mscope list`'s table (not its header), each split into its columns. */
function rowsOf(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((l) => /^\s+\d+\s/.test(l))
    .map((l) => l.trim().split(/\s+/));
}

/** Runs `mscope ARGS -- node -e <create marker>` and reports whether the target started. */
async function runWithMarker(
  args: readonly string[],
): Promise<{ status: number | null; stdout: string; stderr: string; started: boolean }> {
  const tmp = mkdtempSync(join(tmpdir(), 'mscope-err-'));
  try {
    const marker = join(tmp, 'started');
    const r = await mscope([...args, '--', 'node', '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`], dir);
    return { ...r, started: existsSync(marker) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

test('the marker command does start when the script is good (the checks below can fail)', async () => {
  const r = await runWithMarker(['run', '-e', 'fn:::entry { @[probefunc] = count(); }']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.started, true);
});

test('a syntax error: FILE:LINE:COL: message, the line, a caret; exit 1; the target never starts', async () => {
  const r = await runWithMarker(['run', '-s', 'syntax-error.d']);
  assert.equal(r.status, 1);
  assert.equal(r.started, false);
  assert.equal(r.stdout, '');
  assert.equal(
    r.stderr,
    ['syntax-error.d:4:24: expected an expression, found `;` [D2004]', '    @[probefunc] = count(;', '                         ^', ''].join(
      '\n',
    ),
  );
});

test('an unknown function names the nearest known one', async () => {
  const r = await runWithMarker(['run', '-s', 'unknown-function.d']);
  assert.equal(r.status, 1);
  assert.equal(r.started, false);
  assert.equal(
    r.stderr,
    [
      'unknown-function.d:3:18: unknown function `cuont`; did you mean `count`? [D3001]',
      '    @[probefunc] = cuont();',
      '                   ^~~~~',
      '',
    ].join('\n'),
  );
});

test('errors in the second -e are located in `-e#2`; every error is reported', async () => {
  const r = await runWithMarker(['run', '-e', 'BEGIN { x = 1; }', '-e', 'END { y = ; }\nEND { printf("%d\\n", cuont); }']);
  assert.equal(r.status, 1);
  assert.equal(r.started, false);
  assert.match(r.stderr, /^-e#2:1:11: expected an expression, found `;` \[D2004\]\n {2}END \{ y = ; \}\n {12}\^\n/);
});

test('a program without CMD that does not compile exits 1 with the same diagnostics', async () => {
  const r = await mscope(['run', '-e', 'BEGIN { x = ; }'], dir);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, ['-e:1:13: expected an expression, found `;` [D2004]', '  BEGIN { x = ; }', '              ^', ''].join('\n'));
});

test('a missing -s file is one line and exit 1; the target never starts', async () => {
  const r = await runWithMarker(['run', '-s', 'no-such-script.d']);
  assert.equal(r.status, 1);
  assert.equal(r.started, false);
  assert.equal(r.stderr, 'mscope: cannot read script no-such-script.d: ENOENT\n');
});

test('a description that matched no probe in any process is a warning naming it and the nearest probes', async () => {
  const program = 'fn::squre:entry { @a = count(); } fn:lib.cjs:add:entry { @b = count(); }';
  const r = await mscope(['run', '-e', program, '--', 'sh', '-c', 'node count.cjs && node count.mjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  // fn:lib.cjs:add:entry matched in the first process only: no warning for it.
  // DTrace's keyless layout, ` %16lld`; @a never fired, so it is not printed.
  assert.equal(r.stdout, `cjs: 40\nesm: 12\n\n${'5'.padStart(17)}\n`);
  assert.match(withoutNotices(r.stderr), /^-e:1:1: warning: probe description `fn::squre:entry` matched no probes \[D5001\]\n/);
  assert.match(r.stderr, /nearest probes: fn:lib\.cjs:square:entry/);
  assert.doesNotMatch(r.stderr, /fn:lib\.cjs:add:entry` matched no probes/);
});

test('an fn description unmatched in a process that ran code given by -e or on stdin says that code is not rewritten', async () => {
  const program = 'fn::twice:entry { @ = count(); }';
  const code = 'function twice(x) { return 2 * x; } console.log(twice(2));';
  const hint = /the code given by -e is not rewritten: fn probes fire in the files Node loads/;
  const byEval = await mscope(['run', '-e', program, '--', 'node', '-e', code], dir);
  assert.equal(byEval.status, 0, byEval.stderr);
  assert.match(byEval.stderr, /warning: probe description `fn::twice:entry` matched no probes \[D5001\]/);
  assert.match(byEval.stderr, hint);
  const byPrint = await mscope(['run', '-e', program, '--', 'node', '-p', 'function twice(x) { return 2 * x; } twice(2)'], dir);
  assert.match(byPrint.stderr, /the code given by -p is not rewritten/);
  const byStdin = await mscope(['run', '-e', program, '--', 'sh', '-c', `echo '${code}' | node`], dir);
  assert.equal(byStdin.status, 0, byStdin.stderr);
  assert.match(byStdin.stderr, /the code read from standard input is not rewritten: fn probes fire in the files Node loads/);
  // A program from a file gets only the nearest probes.
  const byFile = await mscope(['run', '-e', 'fn::squre:entry { @ = count(); }', '--', 'node', 'count.cjs'], dir);
  assert.doesNotMatch(byFile.stderr, /not rewritten/);
});

test('mscope list -e PROGRAM -- CMD shows only the probes the program matches', async () => {
  const program = 'fn:lib.cjs:add:entry, fn::square:return { @ = count(); } fn::add:error /arg0/ { }';
  const r = await mscope(['list', '-e', program, '--', 'node', 'count.cjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  const names = r.stdout
    .split('\n')
    .filter((l) => /^\s+\d+\s/.test(l))
    .map((l) => l.trim().split(/\s+/).slice(1).join(':'));
  assert.deepEqual(names.sort(), ['fn:lib.cjs:add:entry', 'fn:lib.cjs:add:error', 'fn:lib.cjs:square:return']);
  assert.match(r.stdout, /^\s+ID\s+PROVIDER\s+MODULE\s+FUNCTION NAME$/m);
});

test('mscope list -e lists the BEGIN, END and ERROR the program uses, as dtrace -l -n BEGIN does', async () => {
  const r = await mscope(['list', '-e', 'BEGIN { } fn:lib.cjs:add:entry { } END { }', '--', 'node', 'count.cjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  const rows = rowsOf(r.stdout);
  assert.deepEqual(rows.slice(0, 2), [
    ['1', 'dtrace', 'BEGIN'],
    ['2', 'dtrace', 'END'],
  ]);
  assert.deepEqual(
    rows.slice(2).map((c) => c.slice(1).join(':')),
    ['fn:lib.cjs:add:entry'],
  );
  // Without CMD, in the same columns as every other probe.
  const here = await mscope(['list', '-e', 'ERROR { }'], dir);
  assert.equal(here.status, 0, here.stderr);
  const widths = [5, 10, 20, 32];
  const line = (cells: string[], name: string): string => `${cells.map((c, i) => c.padStart(widths[i]!)).join(' ')} ${name}\n`;
  assert.equal(here.stdout, line(['ID', 'PROVIDER', 'MODULE', 'FUNCTION'], 'NAME') + line(['3', 'dtrace', '', ''], 'ERROR'));
  // -s FILE as -e.
  const tmp = mkdtempSync(join(tmpdir(), 'mscope-list-'));
  try {
    writeFileSync(join(tmp, 'end.d'), 'END { }\n');
    const file = await mscope(['list', '-s', join(tmp, 'end.d')], dir);
    assert.equal(file.status, 0, file.stderr);
    assert.equal(file.stdout, line(['ID', 'PROVIDER', 'MODULE', 'FUNCTION'], 'NAME') + line(['2', 'dtrace', '', ''], 'END'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('mscope list -e lists the tick-N probes the program uses, as profile:::tick-N after every other probe', async () => {
  const program = 'tick-1s { } profile:::tick-100ms { } fn:lib.cjs:add:entry { }';
  for (const args of [[], ['--', 'node', 'count.cjs']]) {
    const r = await mscope(['list', '-e', program, ...args], dir);
    assert.equal(r.status, 0, r.stderr);
    const rows = rowsOf(r.stdout);
    const ticks = rows.filter((c) => c[1] === 'profile');
    assert.deepEqual(
      ticks.map((c) => c.slice(1)),
      [
        ['profile', 'tick-1s'],
        ['profile', 'tick-100ms'],
      ],
      r.stdout,
    );
    const ids = rows.map((c) => Number(c[0]));
    assert.equal(new Set(ids).size, ids.length, `ids repeat: ${r.stdout}`);
    assert.ok(Number(ticks[0]![0]) > Math.max(...rows.filter((c) => c[1] !== 'profile').map((c) => Number(c[0]))), r.stdout);
    if (args.length > 0)
      assert.ok(
        rows.some((c) => c.slice(1).join(':') === 'fn:lib.cjs:add:entry'),
        r.stdout,
      );
  }
});

test('mscope list -s with an error prints the diagnostic and exits 1', async () => {
  const r = await runWithMarker(['list', '-s', 'unknown-function.d']);
  assert.equal(r.status, 1);
  assert.equal(r.started, false);
  assert.match(r.stderr, /^unknown-function\.d:3:18: unknown function `cuont`; did you mean `count`\?/);
});

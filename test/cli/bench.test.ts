import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FIXTURES, ROOT, collect, mscope, spawnMscope } from './mscope.js';

const TARGET = ['--', process.execPath, `${FIXTURES}bench-target.cjs`];
const COUNT = ['-e', 'fn:::entry { @ = count(); }'];

test('mscope bench prints ministat’s table for the plain and the traced runs, interleaved, and its verdict', async () => {
  const r = await mscope(['bench', '-n', '3', '--warmup', '0', '--plot', ...COUNT, ...TARGET], ROOT);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], 'wall time (s), 3 runs each');
  assert.match(lines[1]!, /^x plain: .*bench-target\.cjs$/);
  assert.match(lines[2]!, /^\+ traced: mscope run -q --program fn:::entry \{ @ = count\(\); \}$/);
  assert.match(r.stdout, /^\+-{74}\+$/m);
  assert.match(r.stdout, /^ {4}N {11}Min {11}Max {8}Median {11}Avg {8}Stddev$/m);
  assert.match(r.stdout, /^x {3}3 /m);
  assert.match(r.stdout, /^\+ {3}3 /m);
  assert.match(r.stdout, /^(No difference proven|Difference) at 95\.0% confidence$/m);
  assert.equal(r.stderr, '');
});

test('--metric reads a number the command prints; identical samples prove no difference, distinct ones do', async () => {
  const same = await mscope(['bench', '-n', '3', '--metric', 'sum (\\d+)', '-f', 'json', ...COUNT, ...TARGET], ROOT);
  assert.equal(same.status, 0, same.stderr);
  const a = JSON.parse(same.stdout) as { plain: { values: number[] }; traced: { values: number[] }; significant: boolean; measure: string };
  assert.deepEqual(a.plain.values, [9900, 9900, 9900]);
  assert.deepEqual(a.traced.values, [9900, 9900, 9900]);
  assert.equal(a.significant, false);
  assert.equal(a.measure, 'metric');

  // The warm-up left out is shown above (three values of three runs); this verdict needs none.
  const differ = await mscope(['bench', '-n', '3', '--warmup', '0', '--metric', 'figure (\\d+)', ...TARGET], ROOT);
  assert.equal(differ.status, 0, differ.stderr);
  assert.match(differ.stdout, /^Difference at 95\.0% confidence\n\t9 \+\/- 0\n\t900% \+\/- 0%\n\t\(Student's t, pooled s = 0\)$/m);
});

test('-m cpu and -m rss measure the command’s processes', async () => {
  for (const m of ['cpu', 'rss']) {
    const r = await mscope(['bench', '-n', '3', '--warmup', '0', '-m', m, '-f', 'json', ...TARGET], ROOT);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { plain: { values: number[] }; traced: { values: number[] } };
    for (const v of [...j.plain.values, ...j.traced.values]) assert.ok(v > 0, `${m}: ${v}`);
  }
});

test('bad input is one line and a non-zero exit, before any run where it can be', async () => {
  const cases: Array<[string[], number, RegExp, Record<string, string>?]> = [
    [['bench', ...COUNT], 2, /^mscope bench: missing -- CMD$/],
    [['bench', '-n', '2', ...TARGET], 2, /^mscope bench: -n expects a whole number of at least 3, got "2"$/],
    [['bench', '-c', '97', ...TARGET], 2, /^mscope bench: -c expects one of 80, 90, 95, 98, 99, 99.5/],
    [['bench', '-m', 'heap', ...TARGET], 2, /^mscope bench: unknown measure "heap"/],
    [['bench', '-m', 'toString', ...TARGET], 2, /^mscope bench: unknown measure "toString"/],
    [['bench', '-b', 'tcp', ...TARGET], 2, /^mscope bench: unknown binding "tcp"; expected one of direct, shm, message$/],
    [['bench', '--metric', '(', ...TARGET], 2, /^mscope bench: --metric: Invalid regular expression/],
    [
      ['bench', '--metric', 'nothing (\\d+)', ...TARGET],
      1,
      /^mscope bench: --metric nothing \(\\d\+\): no match in the plain run's output$/,
    ],
    [['bench', ...TARGET], 1, /^mscope bench: the plain run exited with 3$/, { EXIT: '3' }],
    [['bench', '--', '/nonexistent/cmd'], 1, /^mscope bench: cannot run \/nonexistent\/cmd: spawn \/nonexistent\/cmd ENOENT$/],
  ];
  for (const [args, status, message, env] of cases) {
    const r = await mscope(args, ROOT, env);
    assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr.trimEnd(), message);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  }
  const typo = await mscope(['bench', '-e', 'fn:::entry { @ = cuont(); }', ...TARGET], ROOT);
  assert.equal(typo.status, 1);
  assert.match(typo.stderr, /^-e:1:/);
  assert.equal(typo.stdout, '');
});

test('^C ends the runs and prints the table of the pairs gathered, exiting 130', async () => {
  const runs = join(mkdtempSync(join(tmpdir(), 'mscope-bench-test-')), 'runs');
  const child = spawnMscope(['bench', '-n', '1000', '--warmup', '0', '-f', 'json', ...TARGET], ROOT, { RUNS: runs });
  const done = collect(child);
  const lines = (): number => {
    try {
      return readFileSync(runs, 'utf8').split('\n').length - 1;
    } catch {
      return 0;
    }
  };
  while (lines() < 8 && child.exitCode === null) await sleep(20);
  child.kill('SIGINT');
  const r = await done;
  assert.equal(r.status, 130, r.stderr);
  const j = JSON.parse(r.stdout) as { plain: { n: number }; traced: { n: number } };
  assert.ok(j.plain.n >= 4 && j.plain.n === j.traced.n, r.stdout);
});

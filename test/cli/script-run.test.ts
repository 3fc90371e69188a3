import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, mscope, PROBE_EFFECT } from './mscope.js';

// D programs through the built CLI on real child processes: output layout and options.
const dir = join(FIXTURES, 'scripts');
const COUNT = 'fn:::entry { @[probefunc] = count(); }';

/** DTrace's layout for a one-key aggregation: `  %-50s %16lld`. */
function row(key: string, value: number): string {
  return `  ${key.padEnd(50)} ${String(value).padStart(16)}`;
}

test('a one-liner counts fn probes in a CommonJS program, in DTrace layout, sorted by value', async () => {
  const r = await mscope(['run', '-e', COUNT, '--', 'node', 'count.cjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, ['cjs: 40', '', row('square', 2), row('add', 5), ''].join('\n'));
  // dtrace(1M)'s notice, before the program runs; fn probes appear as modules load; then the probe effect.
  assert.match(r.stderr, /^mscope: probe effect: 7 events \(direct 7\), /m);
  assert.equal(
    r.stderr.replace(PROBE_EFFECT, ''),
    "mscope: description 'fn:::entry ' matched 0 probes (fn, usdt and dc probes are matched as the program makes them)\n",
  );
});

test('the same one-liner on an ES module program', async () => {
  const r = await mscope(['run', '-e', COUNT, '--', 'node', 'count.mjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, ['esm: 12', '', row('square', 1), row('add', 3), ''].join('\n'));
});

test('-s FILE: several clauses, predicates, self-> timing across await, quantize', async () => {
  const r = await mscope(['run', '-s', 'timing.d', '--', 'node', 'timing.mjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  // DTrace: one blank line, then every aggregation in declaration order; a quantize table
  // opens with its own blank line and key line.
  const out = r.stdout.split('\n');
  assert.deepEqual(out.slice(0, 2), ['timing: 6', '']);
  const blank = out.indexOf('', 2);
  assert.deepEqual(out.slice(blank), [
    '',
    // Every fetchItem return found the self->ts its entry set, across two awaits each.
    row('returns', 4),
    row('negative', 0),
    // add(0,0), add(0,1) have arg0 == 0; add(1,2), add(3,3) do not.
    row('first', 2),
    row('later', 2),
    '',
  ]);
  const lines = out.slice(2, blank);
  assert.equal(lines[0]!.trimEnd(), '  fetchItem');
  assert.equal(lines[1], '           value  ------------- Distribution ------------- count    ');
  const buckets = lines.slice(2).map((l) => {
    const m = /^ {0,16}(\d+) \|([@ ]{40}) (\d+) *$/.exec(l);
    assert.ok(m, `not a quantize row: ${JSON.stringify(l)}`);
    return { value: Number(m[1]), bar: m[2]!, count: Number(m[3]) };
  });
  assert.ok(buckets.length >= 3);
  assert.equal(
    buckets.reduce((n, b) => n + b.count, 0),
    4,
  );
  // Power-of-two buckets, a zero row above and below the data as DTrace prints them.
  for (let i = 1; i < buckets.length; i++) assert.equal(buckets[i]!.value, buckets[i - 1]!.value * 2);
  assert.equal(buckets[0]!.count, 0);
  assert.equal(buckets.at(-1)!.count, 0);
  for (const b of buckets) assert.equal(b.bar.trimEnd().length, Math.round((40 * b.count) / 4), JSON.stringify(b));
});

test('-e and -s together form one program, concatenated in command-line order', async () => {
  const r = await mscope(
    [
      'run',
      '-q',
      '-e',
      'BEGIN { printf("one\\n"); } END { printf("end one\\n"); }',
      '-s',
      'begin-end.d',
      '-e',
      'BEGIN { printf("three\\n"); } END { printf("end three\\n"); }',
      '--',
      'node',
      'count.cjs',
    ],
    dir,
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'one\ntwo\nthree\ncjs: 40\nend one\nend two\nend three\n');
});

test('-q: trace() output has no separator, BEGIN and END output in order, aggregations still printed', async () => {
  const r = await mscope(
    [
      'run',
      '-q',
      '-e',
      `BEGIN { printf("begin\\n"); } fn::square:entry { trace(arg0); } ${COUNT} END { printf("\\nend\\n"); }`,
      '--',
      'node',
      'count.cjs',
    ],
    dir,
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, ['begin', 'cjs: 40', '62', 'end', '', row('square', 2), row('add', 5), ''].join('\n'));
  const loud = await mscope(['run', '-e', 'fn::square:entry { trace(arg0); }', '--', 'node', 'count.cjs'], dir);
  assert.equal(loud.status, 0, loud.stderr);
  // Not quiet, as DTrace: a header, then per firing `%3d %6d %32s ` (CPU, ID, FUNCTION:NAME) and trace()'s ` %16d`.
  const [target, header, ...fired] = loud.stdout.split('\n');
  assert.equal(target, 'cjs: 40');
  assert.equal(header, 'CPU     ID                    FUNCTION:NAME');
  assert.equal(fired.length, 3, loud.stdout);
  assert.match(fired[0]!, /^ {2}0 +\d+ {21}square:entry {17}6$/);
  assert.match(fired[1]!, /^ {2}0 +\d+ {21}square:entry {17}2$/);
  assert.equal(fired[2], '');
});

test('-o FILE appends the program output and aggregations; stdout keeps only the target', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'mscope-o-'));
  try {
    const file = join(tmp, 'out.txt');
    appendFileSync(file, 'earlier\n');
    const args = ['run', '-q', '-o', file, '-e', `BEGIN { printf("begin\\n"); } ${COUNT}`, '--', 'node', 'count.cjs'];
    const r = await mscope(args, dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'cjs: 40\n');
    const again = await mscope(args, dir);
    assert.equal(again.status, 0, again.stderr);
    const once = ['begin', '', row('square', 2), row('add', 5), ''].join('\n');
    assert.equal(readFileSync(file, 'utf8'), `earlier\n${once}${once}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('-x aggsortrev reverses the order; -x quiet is -q', async () => {
  const rev = await mscope(['run', '-x', 'aggsortrev', '-e', COUNT, '--', 'node', 'count.cjs'], dir);
  assert.equal(rev.status, 0, rev.stderr);
  assert.equal(rev.stdout, ['cjs: 40', '', row('add', 5), row('square', 2), ''].join('\n'));
  const quiet = await mscope(['run', '-x', 'quiet', '-e', `fn::square:entry { trace(arg0); }`, '--', 'node', 'count.cjs'], dir);
  assert.equal(quiet.status, 0, quiet.stderr);
  assert.equal(quiet.stdout, 'cjs: 40\n62');
});

test('-f json: every line is JSON, printf records and the final aggregations are there', async () => {
  const program = `BEGIN { printf("begin %d\\n", 1); } ${COUNT} fn::add:entry { @q = quantize(arg1); }`;
  const r = await mscope(['run', '-f', 'json', '-e', program, '--', 'node', 'count.cjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => l !== '' && l !== 'cjs: 40');
  const records = lines.map((l) => JSON.parse(l) as { type: string; data: unknown });
  assert.deepEqual(records[0], { type: 'printf', data: 'begin 1\n' });
  const aggs = records.filter((x) => x.type === 'aggregation').map((x) => x.data as { name: string; kind: string; rows: unknown[] });
  const counts = aggs.find((a) => a.name === '@') as { kind: string; rows: Array<{ keys: string[]; value: number }> };
  assert.equal(counts.kind, 'count');
  assert.deepEqual(counts.rows.map((x) => [...x.keys, x.value]).sort(), [
    ['add', 5],
    ['square', 2],
  ]);
  // add's second arguments: 0, 1, 2, 3 and square(2) = 4.
  const q = aggs.find((a) => a.name === '@q') as unknown as {
    kind: string;
    rows: Array<{ keys: unknown[]; buckets: Array<{ value: string; count: number }> }>;
  };
  assert.equal(q.kind, 'quantize');
  assert.deepEqual(
    q.rows[0]!.buckets.filter((b) => b.count > 0),
    [
      { value: '0', count: 1 },
      { value: '1', count: 1 },
      { value: '2', count: 2 },
      { value: '4', count: 1 },
    ],
  );
});

test('setopt() in a probe clause reaches mscope: the exit-time aggregations follow it', async () => {
  const r = await mscope(['run', '-q', '-e', `${COUNT} fn::square:entry { setopt("aggsortrev"); }`, '--', 'node', 'count.cjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, ['cjs: 40', '', row('add', 5), row('square', 2), ''].join('\n'));
});

test('exit(N) in END overrides the status of an earlier exit() and of CMD', async () => {
  const early = await mscope(['run', '-q', '-e', 'fn::square:entry { exit(3); } END { exit(9); }', '--', 'node', 'count.cjs'], dir);
  assert.equal(early.status, 9, early.stderr);
  const late = await mscope(['run', '-q', '-e', 'END { exit(4); }', '--', 'node', 'count.cjs'], dir);
  assert.equal(late.status, 4, late.stderr);
  const begin = await mscope(
    ['run', '-q', '-e', 'BEGIN { exit(2); } BEGIN { printf("not run\\n"); } END { printf("end\\n"); }', '--', 'node', 'count.cjs'],
    dir,
  );
  assert.equal(begin.status, 2, begin.stderr);
  assert.equal(begin.stdout, 'end\n');
});

test('not quiet: the matched notice per -s and -e, and unmatched descriptions, come before BEGIN and CMD', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'mscope-notice-'));
  try {
    const file = join(tmp, 'x.d');
    appendFileSync(file, 'BEGIN { printf("begin\\n"); }\nnode:fs:readFileSync:entry, nosuch:::entry { @r = count(); }\n');
    const r = await mscope(['run', '-s', file, '-e', 'END /1/ { exit(0); }', '--', 'node', 'count.cjs'], dir);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stderr.split('\n');
    assert.equal(lines[0], `${file}:2:29: warning: probe description \`nosuch:::entry\` matched no probes [D5001]`);
    const notices = lines.filter((l) => l.includes(' matched '));
    assert.deepEqual(notices.slice(1), [`mscope: script '${file}' matched 2 probes`, "mscope: description 'END ' matched 1 probe"]);
    // Judged before the run: not warned about again at the end.
    assert.equal(r.stderr.split('nosuch:::entry` matched no probes').length, 2, r.stderr);
    const quiet = await mscope(['run', '-q', '-s', file, '--', 'node', 'count.cjs'], dir);
    assert.doesNotMatch(quiet.stderr, / matched \d+ probe/);
    assert.match(quiet.stderr, /nosuch:::entry` matched no probes/);
    // -Z (zdefs): matching nothing is allowed silently, before and after the run.
    const zdefs = await mscope(['run', '-q', '-Z', '-s', file, '-e', 'fn::nosuch:entry {}', '--', 'node', 'count.cjs'], dir);
    assert.equal(zdefs.status, 0, zdefs.stderr);
    assert.equal(zdefs.stderr, '');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

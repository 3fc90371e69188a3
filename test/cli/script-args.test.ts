import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, mscope, withoutNotices } from './mscope.js';

// Macro arguments (`--arg VALUE` → `$1`, `$$1`, `$#`, `$0`) and the default action, through
// the built CLI on real child processes.
const dir = join(FIXTURES, 'scripts');

test('--arg values reach $N in descriptions, predicates and keys, in every traced process and in END', async () => {
  const r = await mscope(['run', '-q', '-s', 'args.d', '--arg', 'add', '--arg', '1', '--arg', 'big', '--', 'node', 'count.cjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.ok(lines.includes('cjs: 40'), r.stdout);
  assert.ok(lines.includes('args.d: 3 args'), r.stdout);
  // add(0,0), add(0,1), add(1,2), add(3,3), add(36,4): three have arg0 >= 1.
  assert.deepEqual(
    lines.filter((l) => /^\s+add\s/.test(l)).map((l) => l.trim().split(/\s+/)),
    [['add', 'big', '3']],
  );
  assert.equal(withoutNotices(r.stderr), '');
});

test('--arg values reach clauses bound by shm and message, which run the program mscope compiled', async () => {
  for (const binding of ['shm', 'message']) {
    const args = ['run', '-q', '-b', binding, '-s', 'args.d', '--arg', 'add', '--arg', '1', '--arg', 'big', '--', 'node', 'count.cjs'];
    const r = await mscope(args, dir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      r.stdout
        .split('\n')
        .filter((l) => /^\s+add\s/.test(l))
        .map((l) => l.trim().split(/\s+/)),
      [['add', 'big', '3']],
      `${binding}: ${r.stderr}`,
    );
    assert.equal(withoutNotices(r.stderr), '', binding);
  }
});

test('an integer-looking --arg is an integer and $$N its string form; no CMD needed', async () => {
  const r = await mscope(['run', '-q', '-e', 'BEGIN { printf("%d %s %d\\n", $1 * 2, $$1, $#); exit(0); }', '--arg', '21'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '42 21 1\n');
});

test('a $N with no --arg is a located compile error; the target never starts', async () => {
  const r = await mscope(['run', '-s', 'args.d', '--arg', 'add', '--', 'node', '-e', 'console.log("started")'], dir);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.startsWith('args.d:2:'), r.stderr);
  // Every missing argument is reported, each at its own column.
  assert.match(r.stderr, /^args\.d:2:23: macro argument \$2 is not defined/m);
  assert.match(r.stderr, /^args\.d:2:42: macro argument \$3 is not defined/m);
  assert.doesNotMatch(r.stdout, /started/);
});

test('a clause with no action block prints DTrace default lines under one header', async () => {
  const r = await mscope(['run', '-e', 'fn::square:entry', '--', 'node', 'count.cjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.deepEqual(
    lines.filter((l) => l.includes('FUNCTION:NAME')),
    ['CPU     ID                    FUNCTION:NAME'],
  );
  const fired = lines.filter((l) => l.includes('square:entry'));
  assert.equal(fired.length, 2, r.stdout);
  for (const l of fired) assert.match(l, /^ {2}0 {1,6}\d+ {20,}square:entry $/);
  assert.ok(lines.indexOf('CPU     ID                    FUNCTION:NAME') < lines.indexOf(fired[0]!));
});

test("$target is the pid of CMD, in its probe clauses and in END; $pid and $cwd are mscope's", async () => {
  const program =
    'fn::square:entry /!done/ { printf("clause target=%d pid=%d consumer=%d\\n", $target == pid, $pid == pid, $pid); done = 1; }' +
    ' END { printf("end %d %s\\n", $target, $cwd); }';
  const r = await mscope(
    ['run', '-q', '-e', program, '--', 'node', '-e', 'console.log("pid " + process.pid); require("./count.cjs")'],
    dir,
  );
  assert.equal(r.status, 0, r.stderr);
  const pid = /^pid (\d+)$/m.exec(r.stdout)?.[1];
  assert.ok(pid !== undefined, r.stdout);
  const clause = /^clause target=(\d) pid=(\d) consumer=(\d+)$/m.exec(r.stdout);
  assert.ok(clause !== null, r.stdout);
  assert.deepEqual([clause[1], clause[2]], ['1', '0']);
  assert.notEqual(clause[3], pid);
  assert.match(r.stdout, new RegExp(`^end ${pid} ${dir.replace(/[\\/]$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
});

test('$target is 0 without CMD, and an unknown macro variable is a located error', async () => {
  const ok = await mscope(['run', '-q', '-e', 'BEGIN { printf("%d %d %d\\n", $target, $uid == uid, $pid == pid); exit(0); }'], dir);
  assert.equal(ok.stdout, '0 1 1\n', ok.stderr);
  const bad = await mscope(['run', '-e', 'BEGIN { x = $tagret; }'], dir);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /:1:13: macro argument \$tagret is not defined \[D2009\]/);
});

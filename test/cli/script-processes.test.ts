import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { FIXTURES, bounded, collect, mscope, spawnMscope } from './mscope.js';

// D programs over several processes, signals and exit(): what mscope prints is the merge.
const dir = join(FIXTURES, 'scripts');
const COUNT = 'fn:::entry { @[probefunc] = count(); }';

function row(key: string, value: number): string {
  return `  ${key.padEnd(50)} ${String(value).padStart(16)}`;
}

/** `  KEY   VALUE` rows of one-key aggregations in `text`, in order. */
function rows(text: string): Array<[string, number]> {
  return [...text.matchAll(/^ {2}(\S+) +(-?\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]);
}

/** Collects a child's stdout from now on; `until` resolves once a test holds of all of it. */
function watch(child: ChildProcess): { until(test: RegExp | ((text: string) => boolean)): Promise<RegExpExecArray | null> } {
  let seen = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (d: Buffer | string) => {
    seen += d.toString();
    for (const w of [...waiters]) w();
  });
  return {
    until: (t) =>
      bounded(
        new Promise((resolve, reject) => {
          const check = (): void => {
            const m = typeof t === 'function' ? (t(seen) ? null : undefined) : (t.exec(seen) ?? undefined);
            if (m === undefined) return;
            waiters.delete(check);
            child.off('exit', onExit);
            resolve(m);
          };
          const onExit = (): void => reject(new Error(`exited while waiting for ${String(t)}; stdout: ${seen}`));
          waiters.add(check);
          child.once('exit', onExit);
          check();
        }),
        `${String(t)} to hold of stdout`,
        () => seen,
      ),
  };
}

/** Resolves with the stdout seen so far once `pattern` matches it. */
function waitFor(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  let seen = '';
  const matched = new Promise<RegExpExecArray>((resolve, reject) => {
    const onData = (d: Buffer | string): void => {
      seen += d.toString();
      const m = pattern.exec(seen);
      if (m !== null) {
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        resolve(m);
      }
    };
    const onExit = (): void => reject(new Error(`exited before ${pattern}; stdout: ${seen}`));
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
  return bounded(matched, `${pattern} on stdout`, () => seen);
}

test('sh -c running two node programs: one aggregation, the sum of both', async () => {
  const r = await mscope(['run', '-e', COUNT, '--', 'sh', '-c', 'node count.cjs && node count.mjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  // count.cjs: add 5, square 2; count.mjs: add 3, square 1.
  assert.equal(r.stdout, ['cjs: 40', 'esm: 12', '', row('square', 3), row('add', 8), ''].join('\n'));
});

test('a parent and the child it forks with child_process.fork: counts add up, END runs once', async () => {
  const r = await mscope(['run', '-q', '-e', `${COUNT} END { printf("end\\n"); }`, '--', 'node', 'parent.mjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  // parent: add twice; child: add 3 times.
  assert.equal(r.stdout, ['child: done', 'parent: child exited with 0', 'end', '', row('add', 5), ''].join('\n'));
});

test('cluster with 2 workers: the primary and both workers are merged', async () => {
  const r = await mscope(['run', '-e', `${COUNT} fn:::entry { @p[pid] = count(); }`, '--', 'node', 'cluster.cjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^cluster: workers done$/m);
  // primary: square 1; each worker: add 3, square 2.
  const byFunc = rows(r.stdout).filter(([k]) => !/^\d+$/.test(k));
  assert.deepEqual(byFunc, [
    ['square', 5],
    ['add', 6],
  ]);
  // Three distinct processes contributed: the primary's 1 and each worker's 5.
  const byPid = [...r.stdout.matchAll(/^ +(\d+) +(\d+)$/gm)].map((m) => [m[1]!, Number(m[2])] as const);
  assert.deepEqual(
    byPid.map(([, n]) => n),
    [1, 5, 5],
  );
  assert.equal(new Set(byPid.map(([pid]) => pid)).size, 3);
});

test('cluster workers serve their control sockets themselves: the primary is never asked for them', async () => {
  const r = await mscope(['run', '-q', '-e', 'fn::add:entry { @ = count(); }', '--', 'node', 'cluster-listen.cjs'], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /queryServer/);
  assert.match(r.stdout, /^cluster: workers done$/m);
  assert.match(r.stdout, /^ +2$/m);
});

test('SIGINT to mscope: the target gets it, aggregations are printed, END runs, status 130', async () => {
  const child = spawnMscope(['run', '-q', '-e', `${COUNT} END { printf("end\\n"); }`, '--', 'node', 'wait.mjs'], dir);
  const done = collect(child);
  const [, pid] = await waitFor(child, /^ready (\d+)$/m);
  process.kill(Number(pid), 'SIGUSR2');
  await waitFor(child, /^bumped 1$/m);
  child.kill('SIGINT');
  const r = await done;
  assert.equal(r.status, 130, r.stderr);
  assert.equal(r.stdout, [`ready ${pid}`, 'bumped 1', 'end', '', row('add', 2), ''].join('\n'));
  assert.throws(() => process.kill(Number(pid), 0), { code: 'ESRCH' }, 'the target is gone');
});

test('exit(3) in a probe clause: the target is stopped, END runs, mscope exits 3', async () => {
  const program = `fn::add:entry /arg0 == 1/ { exit(3); } END { printf("end\\n"); }`;
  const child = spawnMscope(['run', '-e', program, '--', 'node', 'wait.mjs'], dir);
  const done = collect(child);
  const [, pid] = await waitFor(child, /^ready (\d+)$/m);
  // The first SIGUSR2 calls add(0, 1), the second add(1, 1): exit(3).
  process.kill(Number(pid), 'SIGUSR2');
  await waitFor(child, /^bumped 1$/m);
  process.kill(Number(pid), 'SIGUSR2');
  const r = await done;
  assert.equal(r.status, 3, r.stderr);
  // Not quiet: exit() records, so the target's firing prints its line (through its agent), under the run's one header.
  assert.equal(r.stdout.split('FUNCTION:NAME').length, 2, r.stdout);
  assert.match(r.stdout, /^CPU {5}ID {20}FUNCTION:NAME\n {2}\d+ +\d+ +add:entry \n/m);
  assert.match(r.stdout, /^ {2}0 {6}2 {29}:END end\n\n$/m);
  assert.doesNotMatch(r.stdout, /bumped 3/);
  assert.throws(() => process.kill(Number(pid), 0), { code: 'ESRCH' }, 'the target was stopped');
});

test('exit(0) in BEGIN: CMD never starts, END runs, status 0', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'mscope-begin-'));
  try {
    const marker = join(tmp, 'started');
    const program = `BEGIN { printf("begin\\n"); exit(0); } ${COUNT} END { printf("end\\n"); }`;
    const r = await mscope(['run', '-e', program, '--', 'node', '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`], dir);
    assert.equal(r.status, 0, r.stderr);
    // Not quiet: DTrace's CPU ID FUNCTION:NAME line on each firing that records, under one header; printf's newline, then the line's.
    const header = 'CPU     ID                    FUNCTION:NAME\n';
    assert.equal(
      r.stdout,
      `${header}  0      1                           :BEGIN begin\n\n  0      2                             :END end\n\n`,
    );
    assert.equal(existsSync(marker), false, 'CMD ran');
    // The same command does create the file when BEGIN does not exit: the check above can fail.
    const control = await mscope(
      ['run', '-e', COUNT, '--', 'node', '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`],
      dir,
    );
    assert.equal(control.status, 0, control.stderr);
    assert.equal(existsSync(marker), true);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('tick-100ms with printa and clear prints merged data while the targets run', async () => {
  const program = `${COUNT} tick-100ms { printa(@); clear(@); }`;
  // Two forked targets; each calls add once at start and once per SIGUSR2.
  const child = spawnMscope(['run', '-q', '-e', program, '--', 'node', 'pair.mjs'], dir);
  const done = collect(child);
  const out = watch(child);
  const addTotal = (text: string): number => rows(text).reduce((n, [k, v]) => (k === 'add' ? n + v : n), 0);
  const [, a, b] = (await out.until(/^ready (\d+)$[^]*^ready (\d+)$/m))!;
  // Ticks print both start-up calls while the targets keep running.
  await out.until((text) => addTotal(text) === 2);
  process.kill(Number(a), 'SIGUSR2');
  process.kill(Number(b), 'SIGUSR2');
  await out.until((text) => addTotal(text) === 4);
  child.kill('SIGINT');
  const r = await done;
  assert.equal(r.status, 130, r.stderr);
  // clear() zeroes what was printed: each call was printed by exactly one tick, none twice.
  assert.equal(addTotal(r.stdout), 4, r.stdout);
  assert.ok(
    rows(r.stdout).every(([k, v]) => k === 'add' && v >= 0 && v <= 2),
    r.stdout,
  );
});

test('without CMD: tick-1ms and a counter that exits after 5 ticks', async () => {
  const program = 'tick-1ms { n++; } tick-1ms /n == 5/ { printf("ticks %d\\n", n); exit(0); } END { printf("end\\n"); }';
  const r = await mscope(['run', '-q', '-e', program], dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'ticks 5\nend\n');
  const hi = await mscope(['run', '-q', '-e', 'BEGIN { printf("hi\\n"); exit(0); }'], dir);
  assert.equal(hi.status, 0, hi.stderr);
  assert.equal(hi.stdout, 'hi\n');
});

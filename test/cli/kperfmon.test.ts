import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { mscope } from './mscope.js';
import { APPS, assertLeftAsFound, requests, startApp } from '../attach/harness.js';

/**
 * kperfmon's metrics (issue 13, item 3) on real processes: `concurrency`, `vtime` and
 * `elapsed` in D on a known workload (test/fixtures/kperfmon/work.cjs), and `mscope top` in
 * batch mode, on a command and attached to a running process. CPU times are compared with
 * the CPU time the program measures itself, never with a wall-clock target.
 */
const WORK = fileURLToPath(new URL('../fixtures/kperfmon/', import.meta.url));

function value(stdout: string, name: string): number {
  const m = new RegExp(`^${name} (\\d+)$`, 'm').exec(stdout);
  assert.ok(m !== null, `no "${name}" in:\n${stdout}`);
  return Number(m[1]);
}

test('count, concurrency, wall time and vtime of sync and async functions, as D variables', async () => {
  const program =
    'fn:work.cjs:nap:entry { @naps = count(); @napc = max(concurrency); } ' +
    'fn:work.cjs:nap:return { @napv = max(vtime); @nape = min(elapsed); } ' +
    'fn:work.cjs:crunch:return { @crunches = count(); @cv = sum(vtime); @cw = sum(elapsed); @cc = max(concurrency); } ' +
    'fn:work.cjs:mixed:return { @mv = sum(vtime); @me = sum(elapsed); } ' +
    'END { printa("naps %@d\\n", @naps); printa("napc %@d\\n", @napc); printa("napv %@d\\n", @napv); printa("nape %@d\\n", @nape); ' +
    'printa("crunches %@d\\n", @crunches); printa("cv %@d\\n", @cv); printa("cw %@d\\n", @cw); printa("cc %@d\\n", @cc); ' +
    'printa("mv %@d\\n", @mv); printa("me %@d\\n", @me); }';
  // Single-threaded: where the thread CPU clock is coarse, vtime reads the process's (src/core/clock.ts),
  // and V8's helper threads running beside a crunch made its vtime exceed its wall time (CI, Node 20).
  const r = await mscope(['run', '-q', '-e', program, '--', process.execPath, '--single-threaded', 'work.cjs', '2000000'], WORK);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  // Four naps in flight at once in main, one more in mixed; crunch is sync, so one at a time.
  assert.equal(value(out, 'naps'), 5);
  assert.equal(value(out, 'napc'), 4);
  assert.equal(value(out, 'crunches'), 7);
  assert.equal(value(out, 'cc'), 1);
  // A nap is suspended at its await for its whole timer: its vtime is a sliver of its wall time.
  assert.ok(value(out, 'napv') * 20 < value(out, 'nape'), out);
  // crunch's vtime is the CPU time the program measured around its five calls in main plus
  // its two in mixed; mixed's vtime is its two crunches, not the 50 ms it awaited between them.
  const crunchCpu = value(out, 'crunch-cpu');
  const mixedCpu = value(out, 'mixed-cpu');
  const cv = value(out, 'cv');
  assert.ok(cv > 0.8 * (crunchCpu + mixedCpu) && cv < 1.25 * (crunchCpu + mixedCpu) + 2e6, out);
  assert.ok(cv <= value(out, 'cw') * 1.05 + 1e6, out);
  const mv = value(out, 'mv');
  assert.ok(mv > 0.8 * mixedCpu && mv < 1.25 * mixedCpu + 2e6, out);
  assert.ok(mv < value(out, 'me'), out);
});

test('vtime and concurrency need the direct binding: one clear error, the command never runs', async () => {
  const r = await mscope(
    ['run', '-b', 'shm', '-e', 'fn:work.cjs:nap:return { @ = sum(vtime); }', '--', process.execPath, 'work.cjs'],
    WORK,
  );
  assert.equal(r.status, 1);
  assert.match(r.stderr, /`vtime`.*only the direct binding sees/);
  assert.doesNotMatch(r.stdout, /crunch-cpu/);
});

test('mscope top -b on a command: one table at its end, every function of the known workload, counts exact', async () => {
  const r = await mscope(['top', '-b', '-d', '600', '-m', 'work.cjs:*', '--', process.execPath, 'work.cjs', '200000'], WORK);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^mscope top: .*work\.cjs 200000, 5 functions, by VTIME, every 600 s$/m);
  assert.match(r.stdout, /^FUNCTION +CALLS +INFL +CONC +WALL\/CALL +\*VTIME +VTIME\/CALL$/m);
  const row = (f: string): string[] => {
    const m = new RegExp(`^work\\.cjs:${f} +(.*)$`, 'm').exec(r.stdout);
    assert.ok(m !== null, `no row for ${f}:\n${r.stdout}`);
    return m[1]!.trim().split(/ +/);
  };
  assert.deepEqual(row('nap').slice(0, 2), ['5', '0']);
  assert.deepEqual(row('crunch').slice(0, 2), ['7', '0']);
  assert.deepEqual(row('mixed').slice(0, 2), ['1', '0']);
  assert.deepEqual(row('main').slice(0, 2), ['1', '0']);
  assert.deepEqual(row('cpuNs').slice(0, 2), ['6', '0']);
  for (const f of ['nap', 'crunch', 'mixed', 'main', 'cpuNs'])
    for (const v of row(f).slice(3)) assert.match(v, /^\d+(\.\d+)?(ns|µs|ms|s)$/);
});

test('mscope top -b -n 1 PID attaches to a running process, shows its calls and, from the spliced return points, the other metrics, and detaches leaving it as it was', async () => {
  const app = await startApp(['--inspect-port=0', 'splice.cjs']);
  try {
    const untraced = await requests(app, 3, '/w');
    const before = await app.state();
    const top = mscope(['top', '-b', '-n', '1', '-d', '3', '-m', 'splice-lib.cjs:work', String(app.pid)], APPS);
    // Requests until top has printed its refresh: calls made after the splice are counted.
    let done = false;
    const result = top.finally(() => (done = true));
    while (!done) await requests(app, 2, '/w');
    const r = await result;
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^mscope top: pid ${app.pid}, 1 function, by CALLS, every 3 s$`, 'm'));
    // Node 26 has no live edit and Node 24's is not used: functions run on breakpoints, which see no return.
    const exits = Number(process.versions.node.split('.')[0]) < 24;
    const cells = /^splice-lib\.cjs:work +(.*)$/m.exec(r.stdout)?.[1]?.trim().split(/ +/);
    assert.ok(cells !== undefined && Number(cells[0]) > 0, r.stdout);
    if (exits) {
      // INFL, CONC, WALL/CALL, VTIME, VTIME/CALL from the spliced return point.
      assert.match(cells[1]!, /^\d+$/, r.stdout);
      assert.match(cells[2]!, /^\d+\.\d\d$/, r.stdout);
      for (const v of cells.slice(3)) assert.match(v, /^\d+(\.\d+)?(ns|µs|ms|s)$/, r.stdout);
    } else assert.deepEqual(cells.slice(1), ['-', '-', '-', '-', '-'], r.stdout);
    assert.match(r.stdout, /^attached: a function shows only CALLS until one of its calls returns/m);
    assert.match(r.stderr, new RegExp(`^mscope: detached from process ${app.pid}$`, 'm'));
    assertLeftAsFound(await app.state(), before);
    assert.deepEqual(await requests(app, 3, '/w'), untraced);
  } finally {
    await app.end();
  }
});

test('mscope top refuses bad arguments in one line', async () => {
  for (const [args, message] of [
    [['top'], /expected a PID or -- CMD/],
    [['top', '-s', 'speed', '1'], /unknown metric "speed"; expected one of calls, inflight, conc, wall, vtime, vcall/],
    [['top', '-d', '0', '1'], /-d expects seconds/],
    [['top', '-m', 'a:b:c', '1'], /-m expects FUNC or MODULE:FUNC globs/],
  ] as const) {
    const r = await mscope([...args], WORK);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('mscope top PID refuses a process it cannot attach to in one line named after top', async () => {
  const pid = 2 ** 22 + 12345;
  const r = await mscope(['top', '-b', '-n', '1', String(pid)], WORK);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr, `mscope top: no process ${pid}\n`);
});

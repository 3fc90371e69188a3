import { test } from 'node:test';
import { LIVE_EDIT_OFF } from '../../src/attach/debugger.js';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { bounded, mscope } from '../cli/mscope.js';
import { APPS, assertLeftAsFound, attach, requests, settledState, startApp, type App, type Attached } from './harness.js';

/**
 * Splicing into a process started plainly with node: fn entry, return and error probes of
 * functions compiled before the attach (live edit, or breakpoints where V8 has no live edit:
 * entry probes only), a line probe, an edit V8 refuses (a suspended async function) falling
 * back to breakpoints, and detach leaving the program as it was, its source text included. One target process for every case; its inspector port is
 * chosen by the system (`--inspect-port=0`) so that test files running at once do not collide on 9229.
 */
function stderrMatches(a: Attached, re: RegExp): Promise<void> {
  let err = '';
  const matched = new Promise<void>((resolve) => {
    const look = (d: Buffer): void => {
      err += d.toString();
      if (re.test(err)) {
        a.child.stderr!.off('data', look);
        resolve();
      }
    };
    a.child.stderr!.on('data', look);
  });
  return bounded(matched, `${re} on mscope's stderr`, () => err);
}

/** Return values, errors, `elapsed` and `vtime` of a sync function, a throwing one, an async one and a method. */
const EXITS =
  'fn:splice-lib.*:risky:return { @risky = sum(retval); } fn:splice-lib.*:risky:error { @err[errmsg] = count(); } ' +
  'fn:splice-lib.*:later:return { @later = sum(retval); @timed = min(elapsed > 0); @suspended = min(vtime * 2 < elapsed); } ' +
  'fn:splice-lib.*:Meter.read:return { @read = sum(retval); } ' +
  'END { printa("risky %@d\\n", @risky); printa("%s %@d\\n", @err); printa("later %@d timed %@d suspended %@d\\n", @later, @timed, @suspended); printa("read %@d\\n", @read); }';
/** What EXITS prints for /t0…/t5, /a0…/a3 and /m0…/m2. */
const EXITS_OUT = 'risky 60\nodd 1 1\nodd 3 1\nodd 5 1\nlater 12 timed 1 suspended 1\nread 303\n';

async function exitRequests(app: App): Promise<string[]> {
  return [...(await requests(app, 6, '/t')), ...(await requests(app, 4, '/a')), ...(await requests(app, 3, '/m'))];
}

test('fn entry, return, error and line probes spliced into a running CommonJS program; a refused edit falls back; detach undoes it', async () => {
  const app = await startApp(['--inspect-port=0', 'splice.cjs']);
  try {
    const untraced = await requests(app, 6, '/w');
    const untracedExits = await exitRequests(app);
    const before = await app.state();

    // work(k): entered once per request. Line 6 from column 1 stops first at `let i = 0` (once a call); at
    // column 31, `total += i`, k times; the line probe reads work's argument k.
    const a = attach([
      'attach',
      String(app.pid),
      '-q',
      '-e',
      'fn:splice-lib.cjs:work:entry { @calls = count(); } line:splice-lib.cjs:6:1 { @line = count(); @k = sum(arg0); } ' +
        'line:splice-lib.cjs:6:31 { @body = count(); } fn:splice-lib.cjs:work:return { @total = sum(retval); } ' +
        'END { printa("calls %@d\\n", @calls); printa("line %@d\\n", @line); printa("k %@d\\n", @k); printa("body %@d\\n", @body); printa("total %@d\\n", @total); } ' +
        EXITS,
    ]);
    await a.attached;
    const links = await mscope(['links', String(app.pid)], APPS);
    assert.equal(links.status, 0, links.stderr);
    // Live edit where V8 has it (Node 20-24); Node 26's V8 has none, and breakpoints run every entry probe.
    const live = /^fn:splice-lib\.cjs:work:entry +live edit$/m.test(links.stdout);
    if (live) {
      for (const p of ['work:return', 'risky:return', 'risky:error', 'later:return', 'Meter.read:return'])
        assert.match(links.stdout, new RegExp(`^fn:splice-lib\\.cjs:${p} +live edit$`, 'm'));
    } else {
      assert.match(links.stdout, /^fn:splice-lib\.cjs:work:entry +breakpoint \(10000 hits left\)$/m);
      assert.match(links.stdout, /^fn:splice-lib\.cjs:later:return +none \(its function runs on breakpoints: entry probes only\)$/m);
    }
    assert.match(links.stdout, /^line:splice-lib\.cjs:6:1 +breakpoint \(10000 hits left\)$/m);
    assert.match(links.stdout, /^line:splice-lib\.cjs:6:31 +breakpoint \(10000 hits left\)$/m);
    assert.deepEqual(await requests(app, 6, '/w'), untraced);
    assert.deepEqual(await exitRequests(app), untracedExits);
    const r = await a.detach();
    assert.equal(r.status, 0, r.stderr);
    // k = 0…5: 15 iterations in 6 calls, returning 0+0+1+3+6+10.
    if (live) {
      assert.equal(r.stdout, `calls 6\nline 6\nk 15\nbody 15\ntotal 20\n${EXITS_OUT}`);
      assert.doesNotMatch(r.stderr, /do not fire/);
    } else {
      assert.equal(r.stdout, 'calls 6\nline 6\nk 15\nbody 15\n');
      assert.match(r.stderr, /its return and error probes do not fire \(a breakpoint cannot see a return or a throw\)/);
    }
    assertLeftAsFound(await settledState(app, before), before);
    // The same answers, each with the length of the probed functions' source text: the edits are undone.
    assert.deepEqual(await requests(app, 6, '/w'), untraced);
    assert.deepEqual(await exitRequests(app), untracedExits);

    // pump() is suspended at await: the edit that would probe it is refused and falls back.
    const b = attach([
      'attach',
      String(app.pid),
      '-e',
      'fn:splice-lib.cjs:pump:entry, fn:splice-lib.cjs:beat:entry { @[probefunc] = count(); } fn:splice-lib.cjs:beat:return { @r = count(); }',
    ]);
    const refusal = [
      'V8 refused the live edit: BlockedByActiveGenerator',
      'no live edit on Node 26: setScriptSource functionality no longer available',
      LIVE_EDIT_OFF ?? 'V8 refused the live edit: BlockedByActiveGenerator',
    ]
      .map((r) => r.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|');
    const fellBack = stderrMatches(
      b,
      new RegExp(
        `splice-lib\\.cjs: (${refusal}); its entry probes run on breakpoints instead, 10000 hits each; its return and error probes do not fire`,
      ),
    );
    await b.attached;
    await fellBack;
    await requests(app, 4, '/b');
    const fallback = await mscope(['links', String(app.pid)], APPS);
    assert.match(fallback.stdout, /^fn:splice-lib\.cjs:beat:return +none \(its function runs on breakpoints: entry probes only\)$/m);
    const rb = await b.detach();
    assert.equal(rb.status, 0, rb.stderr);
    assert.equal(rb.stdout.trim().replace(/\s+/g, ' '), 'beat 4');
    assertLeftAsFound(await settledState(app, before), before);
    assert.deepEqual(await requests(app, 6, '/w'), untraced);
    assert.equal(await app.end(), 0);
  } finally {
    app.child.kill();
  }
});

test('not quiet, attach says what each description matched in the process, as dtrace -p does, before the attached line; modules are named from the working directory of the process, wherever mscope runs', async () => {
  const app = await startApp(['--inspect-port=0', 'splice.cjs']);
  try {
    const a = attach(
      ['attach', String(app.pid), '-e', 'fn:splice-lib.cjs:work:entry, fn:splice-lib.cjs:nosuch:entry { @n = count(); }'],
      {},
      tmpdir(),
    );
    await a.attached;
    const r = await a.detach();
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stderr.split('\n');
    const notice = lines.indexOf(`mscope: description 'fn:splice-lib.cjs:work:entry, fn:splice-lib.cjs:nosuch:entry ' matched 1 probe`);
    assert.ok(notice >= 0, r.stderr);
    assert.ok(notice < lines.findIndex((l) => l.startsWith('mscope: attached to process')), r.stderr);
  } finally {
    app.child.kill();
  }
});

test('fn return and error probes spliced into a running ES module program; detach gives back its source', async () => {
  const app = await startApp(['--inspect-port=0', 'splice.mjs']);
  try {
    const untraced = await exitRequests(app);
    const before = await app.state();
    const a = attach(['attach', String(app.pid), '-q', '-e', EXITS]);
    await a.attached;
    const links = await mscope(['links', String(app.pid)], APPS);
    assert.equal(links.status, 0, links.stderr);
    const live = /^fn:splice-lib\.mjs:later:return +live edit$/m.test(links.stdout);
    if (!live)
      assert.match(links.stdout, /^fn:splice-lib\.mjs:later:return +none \(its function runs on breakpoints: entry probes only\)$/m);
    assert.deepEqual(await exitRequests(app), untraced);
    const r = await a.detach();
    assert.equal(r.status, 0, r.stderr);
    if (live) assert.equal(r.stdout, EXITS_OUT);
    else assert.equal(r.stdout, '');
    assertLeftAsFound(await settledState(app, before), before);
    assert.deepEqual(await exitRequests(app), untraced);
    assert.equal(await app.end(), 0);
  } finally {
    app.child.kill();
  }
});

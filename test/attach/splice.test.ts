import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mscope } from '../cli/mscope.js';
import { APPS, attach, requests, startApp, type Attached } from './harness.js';

/**
 * Splicing into a process started plainly with node: fn entry probes of functions compiled
 * before the attach (live edit, or breakpoints where V8 has no live edit), a line probe, an
 * edit V8 refuses (a suspended async function) falling back to breakpoints, and detach
 * leaving the program as it was. One target process for every case; its inspector port is
 * chosen by the system (`--inspect-port=0`) so that test files running at once do not collide on 9229.
 */
function stderrMatches(a: Attached, re: RegExp): Promise<void> {
  return new Promise((resolve) => {
    let err = '';
    const look = (d: Buffer): void => {
      err += d.toString();
      if (re.test(err)) {
        a.child.stderr!.off('data', look);
        resolve();
      }
    };
    a.child.stderr!.on('data', look);
  });
}

test('fn entry and line probes spliced into a running CommonJS program; a refused edit falls back; detach undoes it', async () => {
  const app = await startApp(['--inspect-port=0', 'splice.cjs']);
  try {
    const untraced = await requests(app, 6, '/w');
    const before = await app.state();

    // work(k): entered once per request. Line 6 from column 1 stops first at `let i = 0` (once a call); at
    // column 31, `total += i`, k times; the line probe reads work's argument k.
    const a = attach([
      'attach',
      String(app.pid),
      '-q',
      '-e',
      'fn:splice-lib.cjs:work:entry { @calls = count(); } line:splice-lib.cjs:6:1 { @line = count(); @k = sum(arg0); } ' +
        'line:splice-lib.cjs:6:31 { @body = count(); } ' +
        'END { printa("calls %@d\\n", @calls); printa("line %@d\\n", @line); printa("k %@d\\n", @k); printa("body %@d\\n", @body); }',
    ]);
    await a.attached;
    const links = await mscope(['links', String(app.pid)], APPS);
    assert.equal(links.status, 0, links.stderr);
    // Live edit where V8 has it (Node 20-24); Node 26's V8 has none, and breakpoints run every probe.
    const edit = /^fn:splice-lib\.cjs:work:entry +(live edit|breakpoint \(10000 hits left\))$/m;
    assert.match(links.stdout, edit);
    assert.match(links.stdout, /^line:splice-lib\.cjs:6:1 +breakpoint \(10000 hits left\)$/m);
    assert.match(links.stdout, /^line:splice-lib\.cjs:6:31 +breakpoint \(10000 hits left\)$/m);
    assert.deepEqual(await requests(app, 6, '/w'), untraced);
    const r = await a.detach();
    assert.equal(r.status, 0, r.stderr);
    // k = 0…5: 15 iterations in 6 calls.
    assert.equal(r.stdout, 'calls 6\nline 6\nk 15\nbody 15\n');
    assert.deepEqual(await app.state(), before);
    assert.deepEqual(await requests(app, 6, '/w'), untraced);

    // pump() is suspended at await: the edit that would probe it is refused and falls back.
    const b = attach([
      'attach',
      String(app.pid),
      '-e',
      'fn:splice-lib.cjs:pump:entry, fn:splice-lib.cjs:beat:entry { @[probefunc] = count(); }',
    ]);
    const fellBack = stderrMatches(
      b,
      /splice-lib\.cjs: V8 refused the live edit \((BlockedByActiveGenerator|setScriptSource functionality no longer available)\); its entry probes run on breakpoints instead/,
    );
    await b.attached;
    await fellBack;
    await requests(app, 4, '/b');
    const rb = await b.detach();
    assert.equal(rb.status, 0, rb.stderr);
    assert.equal(rb.stdout.trim().replace(/\s+/g, ' '), 'beat 4');
    assert.deepEqual(await app.state(), before);
    assert.deepEqual(await requests(app, 6, '/w'), untraced);
    assert.equal(await app.end(), 0);
  } finally {
    app.child.kill();
  }
});

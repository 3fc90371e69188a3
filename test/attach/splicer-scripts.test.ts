import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { link } from '../../src/weaver/index.js';
import { Splicer } from '../../src/attach/splicer.js';
import { APPS } from './harness.js';

/**
 * Repeated attaches in one process (in this one, by the splicer alone): every live edit leaves
 * V8 more scripts of the edited file, and a later attach must edit only the one that runs.
 * Edited every time, they tripled with each attach (1, 3, 9 edits).
 */
// Node 26 has no live edit; on Node 24 mscope does not use it (attach/debugger.ts).
const LIVE_EDIT = Number(/^v(\d+)/.exec(process.version)![1]) < 24;

test(
  'a repeated splice edits only the script of the file that runs, and its probe fires',
  { skip: !LIVE_EDIT && 'no live edit in this V8' },
  async () => {
    const { risky } = (await import(`${APPS}splice-lib.mjs`)) as { risky(k: number): number };
    risky(2);
    for (let round = 0; round < 3; round++) {
      let calls = 0;
      const handle = link('fn:splice-lib.mjs:risky:entry', () => void calls++);
      const warnings: string[] = [];
      const splicer = new Splicer({ root: APPS }, (text) => warnings.push(text));
      splicer.start();
      try {
        assert.equal(risky(4), 40);
        assert.deepEqual({ round, edits: splicer.editMs.length, calls, warnings }, { round, edits: 1, calls: 1, warnings: [] });
      } finally {
        handle.unlink();
        splicer.stop();
      }
      assert.equal(risky(4), 40);
      assert.equal(calls, 1);
    }
  },
);

test("a stopped splicer is garbage: the registry drops its line-probe factory (it held every attach's whole agent)", async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const handle = link('fn:splice-lib.mjs:risky:entry', () => {});
  let splicer: Splicer | null = new Splicer({ root: APPS }, () => {});
  splicer.start();
  splicer.stop();
  handle.unlink();
  const stopped = new WeakRef(splicer);
  splicer = null;
  // Collected within a few turns, once nothing holds it.
  for (let i = 0; i < 5 && stopped.deref() !== undefined; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  assert.equal(stopped.deref(), undefined);
});

test(
  'after a splice is undone, a function V8 left running the edited code still behaves as before',
  { skip: !LIVE_EDIT && 'no live edit in this V8' },
  () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fixture is untyped
    const lib = createRequire(APPS)('./dense-lib.cjs') as Record<string, any>;
    const run = (): unknown[] => [
      lib.plain(1),
      lib.oneLine(2),
      lib.fallsOff(3),
      lib.empty(),
      new lib.K().m(4),
      lib.outer()(),
      (() => {
        try {
          return lib.thrower();
        } catch (error) {
          return String(error);
        }
      })(),
    ];
    const before = run();
    const handles = ['entry', 'return'].map((name) => link(`fn:dense-lib.cjs::${name}`, () => {}));
    const splicer = new Splicer({ root: APPS }, () => {});
    splicer.start();
    const during = run();
    for (const h of handles) h.unlink();
    splicer.stop();
    // On Node 20 to 24 V8 leaves `thrower` edited after the edit back: it read a deleted global (ReferenceError).
    assert.deepEqual({ during, after: run() }, { during: before, after: before });
  },
);

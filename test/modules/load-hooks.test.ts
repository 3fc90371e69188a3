import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, runFixture } from './run-fixture.js';

const APP = join(FIXTURES, 'app');

test('CommonJS: functions of an application file fire entry, return and error', () => {
  const r = runFixture(APP, ['main.js']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^3 6$/m);
  assert.equal(r.counts['fn:lib/math.js:add:entry'], 1);
  assert.equal(r.counts['fn:lib/math.js:add:return'], 1);
  assert.equal(r.counts['fn:lib/math.js:fails:error'], 1);
  assert.equal(r.counts['fn:lib/math.js:fails:return'], undefined);
});

test('stack traces keep the original file, line and column', () => {
  const r = runFixture(APP, ['main.js']);
  assert.match(r.stdout, /boom at fails \(.*lib\/math\.js:7:9\)/);
});

test('CommonJS semantics survive: classes, derived constructors, new.target, arguments, hoisting, own props', () => {
  const r = runFixture(APP, ['semantics.js']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /semantics ok/);
  assert.equal(r.counts['fn:lib/forms.js:Colored.constructor:entry'], 1);
  assert.equal(r.counts['fn:lib/forms.js:Point.constructor:entry'], 3);
  assert.equal(r.counts['fn:lib/forms.js:throwsTyped:error'], 1);
  assert.equal(r.counts['fn:lib/forms.js:Legacy.hello:return'], 1);
});

test('ESM: classes, async, rejections, generators, getters never invoked at load, data exports untouched', () => {
  const r = runFixture(APP, ['esm.mjs']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /instanceof true true true/);
  assert.match(r.stdout, /getters 0 SQUARE 1/);
  assert.match(r.stdout, /async 8 2/);
  assert.match(r.stdout, /rejected true negative/);
  assert.match(r.stdout, /gen 0,1,2 0/);
  assert.match(r.stdout, /asyncgen 0,1/);
  assert.match(r.stdout, /data 7 1.0 object/);
  assert.match(r.stdout, /props makeSquare 1 Square 0/);
  assert.equal(r.counts['fn:lib/shapes.mjs:Square.constructor:entry'], 1);
  assert.equal(r.counts['fn:lib/shapes.mjs:Shape.constructor:entry'], 2);
  assert.equal(r.counts['fn:lib/flow.mjs:fetchValue:error'], 1);
  assert.equal(r.counts['fn:lib/flow.mjs:fetchValue:return'], 1);
  assert.equal(r.counts['fn:lib/flow.mjs:count:return'], 1);
  assert.ok(!r.probes.some((p) => p.includes('label')), 'getters are not sites');
});

test('return of a promise-returning (non-async) function fires when it returns, the promise as retval', () => {
  const r = runFixture(APP, ['esm.mjs'], { MSCOPE_TEST_RECORD: '1', MSCOPE_TEST_PROBES: 'fn:lib/flow.mjs:later:return' });
  assert.deepEqual(
    r.events.map((e) => e.retval),
    ['[object Promise]'],
  );
});

test('CommonJS destructuring: a probe enabled after first use fires for the captured function', () => {
  const r = runFixture(APP, ['late.js'], { MSCOPE_TEST_LATE: '1' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /before 2\nafter 4 6/);
  assert.equal(r.counts['fn:lib/math.js:add:entry'], 2);
});

test('ESM named imports: a probe enabled after first use fires', () => {
  const r = runFixture(APP, ['late.mjs'], { MSCOPE_TEST_LATE: '1' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.counts['fn:lib/flow.mjs:fetchValue:entry'], 1);
  assert.equal(r.counts['fn:lib/flow.mjs:later:return'], 1);
});

test('arguments reach the monitor, and this is the strict-mode undefined of a bare call', () => {
  const r = runFixture(APP, ['main.js'], { MSCOPE_TEST_RECORD: '1', MSCOPE_TEST_PROBES: 'fn:lib/math.js:add:entry' });
  assert.deepEqual(r.events, [{ key: 'fn:lib/math.js:add:entry', args: ['1', '2'], retval: 'undefined', self: 'undefined' }]);
});

test('--modules globs narrow the default scope', () => {
  const r = runFixture(APP, ['semantics.js'], { MSCOPE_TEST_MODULES: '!lib/forms.js' });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!r.probes.some((p) => p.startsWith('lib/forms.js:')));
});

test('a warm cache gives the same probes as a cold one', () => {
  const cold = runFixture(APP, ['semantics.js'], { MSCOPE_CACHE_DIR: join(FIXTURES, 'app', 'node_modules', '.cache', 'warm-test') });
  const warm = runFixture(APP, ['semantics.js'], { MSCOPE_CACHE_DIR: join(FIXTURES, 'app', 'node_modules', '.cache', 'warm-test') });
  assert.equal(warm.status, 0, warm.stderr);
  assert.deepEqual(warm.probes, cold.probes);
  assert.deepEqual(warm.counts, cold.counts);
});

test('JSON modules in scope are listed as skipped', () => {
  const r = runFixture(APP, ['json.js']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(
    r.skipped.some((s) => s.module === 'lib/data.json' && /JSON/.test(s.reason)),
    JSON.stringify(r.skipped),
  );
});

test('ESM import cycles: a hoisted function called before its module body ran still works', () => {
  const r = runFixture(APP, ['cycle.mjs']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /cycle 6 3/);
  // The call made during the cycle runs before the module's sites exist, so only the later one counts.
  assert.equal(r.counts['fn:lib/cycle-a.mjs:helper:entry'], 1);
});

test('worker threads load instrumented modules unchanged', () => {
  const r = runFixture(APP, ['worker.mjs']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /worker 42/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInThisContext } from 'node:vm';
import { parse } from 'acorn';
import { isTransformed, transform, MARKER } from '../../src/modules/transform.js';
import { stripFragments } from '../../src/modules/fragments.js';
import { link } from '../../src/weaver/index.js';
import type { ProbeEvent } from '../../src/core/index.js';
import { record } from './record-fn.js';
import { load, nextModuleName, type Exports } from './load-rewritten.js';

const names = (code: string, format: 'module' | 'commonjs' = 'commonjs'): string[] =>
  transform(code, { module: 'm.js', format }).sites.map((s) => s[0]);

test('every named function form becomes a site, with the documented names', () => {
  const src = `
    function decl() {}
    const arrow = () => 1;
    const expr = function inner() {};
    const api = { m() {}, p: () => 2, q: function () {} };
    module.exports = { a() {}, b: () => 3 };
    exports.c = function () {};
    module.exports.d = () => {};
    module.exports = function () {};
    X.prototype.m = function () {};
    class K { constructor() {} static s() {} method() {} #priv() {} field = () => 1; get g() { return 1; } set g(v) {} }
    const anon = [1].map(function () {});
    const obj = { get x() { return 1; } };
    function decl() {}
  `;
  assert.deepEqual(names(src), [
    'decl',
    'arrow',
    'expr',
    'api.m',
    'api.p',
    'api.q',
    'a',
    'b',
    'c',
    'd',
    'default',
    'X.m',
    'K.constructor',
    'K.s',
    'K.method',
    'K.#priv',
    'K.field',
    'decl#2',
  ]);
});

test('ESM defaults and class expressions are named from where they appear', () => {
  assert.deepEqual(names('export default function () {}', 'module'), ['default']);
  assert.deepEqual(names('export default function make() {}', 'module'), ['make']);
  assert.deepEqual(names('export const Svc = class { run() {} };', 'module'), ['Svc.run']);
  assert.deepEqual(names('export default class { run() {} }', 'module'), ['default.run']);
});

test('compiler helpers are not sites', () => {
  assert.deepEqual(names('var __name = (t, v) => t; function real() {}'), ['real']);
});

test('line count is unchanged and code is only inserted into existing lines', () => {
  const src = '#!/usr/bin/env node\n"use strict";\nfunction f(a) {\n  "use strict";\n  return a;\n}\nconst g = (x) =>\n  x * 2;\n';
  const { code } = transform(src, { module: 'm.js', format: 'commonjs' });
  assert.equal(code.split('\n').length, src.split('\n').length);
  const lines = code.split('\n');
  assert.equal(lines[0], '#!/usr/bin/env node');
  assert.ok(lines[1]!.startsWith(`"use strict";/*$ms:*/${MARKER}`), 'header after the file directive');
  assert.ok(lines[3]!.startsWith('  "use strict";'), "prologue after the function's own directive");
});

test('entry only (exits: false): a function changes on the line of its { alone, and entry still fires', () => {
  const src = 'function f(a) {\n  if (a) return a + 1;\n  throw new Error("no");\n}\nconst g = (x) => x * 2;\nmodule.exports = { f, g };\n';
  const module = nextModuleName();
  const { code } = transform(src, { module, format: 'commonjs', exits: false });
  const before = src.split('\n');
  const after = code.split('\n');
  assert.equal(after.length, before.length);
  for (const i of [1, 2, 3, 5]) assert.equal(after[i], before[i], `line ${i + 1} unchanged`);
  assert.match(after[4]!, /^const g = \(x\) =>\/\*\$ms:\*\/\(.*,\/\*\*\/ x \* 2\/\*\$ms:\*\/\)\/\*\*\/;$/);
  assert.doesNotMatch(code, /try\{|catch\(/);
  const fn = runInThisContext(`(function (exports, require, module) {${code}\n})`) as (e: object, r: unknown, m: object) => void;
  const m = { exports: {} as Exports };
  fn(m.exports, null, m);
  const { events, unlink } = record(module);
  assert.equal(m.exports.f(1), 2);
  assert.equal(m.exports.g(3), 6);
  assert.throws(() => m.exports.f(0), /no/);
  unlink();
  assert.deepEqual(events, ['f:entry:1', 'g:entry:3', 'f:entry:0']);
});

test('directive prologues that end without a semicolon keep their meaning', () => {
  const { exports } = load(
    `'use strict'\nfunction f(a) {\n  'use strict'\n  return this === undefined && a;\n}\nconst g = function () {\n  ''\n}\nmodule.exports = { f, g };`,
  );
  const { f, g } = exports;
  assert.equal(f(1), 1);
  assert.equal(g(), undefined);
  const esm = transform("''\nexport function f() {\n  'use strict'\n}\n", { module: 'm.mjs', format: 'module' }).code;
  assert.doesNotThrow(() => parse(esm, { ecmaVersion: 'latest', sourceType: 'module' }));
});

test('transformed code is recognised and never transformed twice', () => {
  const once = transform('function f() { return 1; }', { module: 'm.js', format: 'commonjs' }).code;
  assert.ok(isTransformed(once));
  assert.ok(!isTransformed('function f() { return 1; }'));
});

test('a module without named functions is returned unchanged', () => {
  const src = 'module.exports = [1, 2].map((x) => x + 1);';
  assert.equal(transform(src, { module: 'm.js', format: 'commonjs' }).code, src);
});

test('generated names avoid identifiers the source already uses', () => {
  const src = 'const $msE = 1; function f() { return $msE; }';
  const { exports, module } = load(src + '\nmodule.exports = { f };');
  const r = record(module);
  assert.equal(exports.f(), 1);
  r.unlink();
  assert.deepEqual(r.events, ['f:entry:', 'f:return:1']);
});

test('return values, args, throws and fall-through returns are observed unchanged', () => {
  const { exports, module } = load(`
    function add(a, b = 5, ...rest) { return a + b + rest.length; }
    function none() { 1; }
    function bare() { return; }
    function boom(m) { throw new RangeError(m); }
    const objArrow = (k) => ({ k });
    function seq() { return (1, 2); }
    module.exports = { add, none, bare, boom, objArrow, seq };`);
  const r = record(module);
  assert.equal(exports.add(1, 2, 'x', 'y'), 5);
  assert.equal(exports.none(), undefined);
  assert.equal(exports.bare(), undefined);
  assert.throws(() => exports.boom('bad'), RangeError);
  assert.deepEqual(exports.objArrow('v'), { k: 'v' });
  assert.equal(exports.seq(), 2);
  r.unlink();
  assert.deepEqual(r.events, [
    'add:entry:1,2,x,y',
    'add:return:5',
    'none:entry:',
    'none:return:undefined',
    'bare:entry:',
    'bare:return:undefined',
    'boom:entry:bad',
    'boom:error:RangeError: bad',
    'objArrow:entry:v',
    'objArrow:return:[object Object]',
    'seq:entry:',
    'seq:return:2',
  ]);
});

test('this, new, instanceof, super and new.target survive, including derived constructors', () => {
  const { exports, module } = load(`
    class A { constructor(x) { this.x = x; } get() { return this.x; } }
    class B extends A { constructor(x) { super(x * 2); } get() { return super.get() + 1; } }
    function F() { if (!new.target) return 'call'; this.made = true; }
    module.exports = { A, B, F };`);
  const r = record(module);
  const b = new exports.B(2);
  assert.ok(b instanceof exports.A && b instanceof exports.B);
  assert.equal(b.get(), 5);
  assert.equal(exports.F(), 'call');
  assert.equal(new exports.F().made, true);
  r.unlink();
  assert.ok(r.events.includes('B.constructor:entry:2'));
  assert.ok(r.events.includes('A.constructor:entry:4'));
  assert.ok(r.events.includes('B.get:return:5'));
});

test('async functions fire return on settle; a returned promise is the retval, never observed', async () => {
  const { exports, module } = load(`
    async function ok(x) { await null; return x + 1; }
    async function bad() { await null; throw new Error('no'); }
    function later(x) { return Promise.resolve(x * 10); }
    module.exports = { ok, bad, later };`);
  const r = record(module);
  assert.equal(await exports.ok(1), 2);
  await assert.rejects(exports.bad(), /no/);
  assert.equal(await exports.later(2), 20);
  r.unlink();
  assert.deepEqual(r.events, [
    'ok:entry:1',
    'ok:return:2',
    'bad:entry:',
    'bad:error:Error: no',
    'later:entry:2',
    'later:return:[object Promise]',
  ]);
});

test('generators and async generators keep their protocol', async () => {
  const { exports, module } = load(`
    function* gen(n) { for (let i = 0; i < n; i++) yield i; return 'end'; }
    async function* agen() { yield 1; yield 2; }
    module.exports = { gen, agen };`);
  const r = record(module);
  const g = exports.gen(2);
  assert.deepEqual(
    [g.next(), g.next(), g.next()],
    [
      { value: 0, done: false },
      { value: 1, done: false },
      { value: 'end', done: true },
    ],
  );
  const out: number[] = [];
  for await (const v of exports.agen()) out.push(v);
  assert.deepEqual(out, [1, 2]);
  r.unlink();
  assert.deepEqual(r.events, ['gen:entry:2', 'gen:return:end', 'agen:entry:', 'agen:return:undefined']);
});

test('hoisted inner functions, labels and arguments behave as before', () => {
  const { exports } = load(`
    function h() { return inner(); function inner() { return arguments.length; } }
    function l() { let n = 0; a: for (;;) { for (;;) { if (++n > 2) break a; } } return n; }
    function args() { return arguments.length; }
    module.exports = { h, l, args };`);
  assert.equal(exports.h(), 0);
  assert.equal(exports.l(), 3);
  assert.equal(exports.args(1, 2, 3), 3);
});

test('name, length and own properties are those of the original function', () => {
  const { exports } = load(`function f(a, b) {} f.extra = 1; module.exports = { f };`);
  assert.equal(exports.f.name, 'f');
  assert.equal(exports.f.length, 2);
  assert.equal(exports.f.extra, 1);
});

test('syntax errors propagate so that the caller can record a skip', () => {
  assert.throws(() => transform('function (', { module: 'm.js', format: 'commonjs' }), SyntaxError);
});

test('the original text of every function is recovered from the rewritten code, whatever the prefix', () => {
  const src = [
    "const $ms = '/*$ms*/ and /*$ms:*/ as written';",
    'function f(a) {',
    '  if (a) return a, 1;',
    '  return g(a);',
    '}',
    'const g = (x) => x * 2;',
    'class K {\n  m() {\n    return;\n  }\n}',
  ].join('\n');
  const { code } = transform(src, { module: 'm.js', format: 'commonjs' });
  assert.match(code, /\/\*\$ms1_:\*\//);
  const fns = runInThisContext(`(function () {${code}\nreturn [f, g, K];})`)() as Array<() => unknown>;
  assert.deepEqual(
    fns.map((fn) => stripFragments(Function.prototype.toString.call(fn))),
    ['function f(a) {\n  if (a) return a, 1;\n  return g(a);\n}', '(x) => x * 2', 'class K {\n  m() {\n    return;\n  }\n}'],
  );
  assert.equal(stripFragments(code), src);
});

test('awaits and yields of a traced function pass their values through, rejections included; a call exits once', async () => {
  const { exports, module } = load(`
exports.pass = async function pass(p) {
  const a = await p;
  let b;
  try { b = await Promise.reject(new Error('no')); } catch (e) { b = e.message; }
  return a + b;
};
exports.gen = function* gen() { const x = yield 1; const y = yield x + 1; return y; };
exports.twice = function twice() { try { return 1; } finally { throw new Error('late'); } };
`);
  const { events, unlink } = record(module);
  const inFlight: number[] = [];
  const h = link(`fn:${module}:pass:return`, (ev: ProbeEvent) => void inFlight.push(ev.concurrency, ev.vtime));
  try {
    assert.equal(await exports.pass(Promise.resolve('ok-')), 'ok-no');
    const g = exports.gen();
    assert.deepEqual([g.next().value, g.next(5).value, g.next(9)], [1, 6, { value: 9, done: true }]);
    assert.throws(() => exports.twice(), /late/);
  } finally {
    h.unlink();
    unlink();
  }
  assert.deepEqual(events, [
    'pass:entry:[object Promise]',
    'pass:return:ok-no',
    'gen:entry:',
    'gen:return:9',
    'twice:entry:',
    'twice:return:1',
  ]);
  // In flight at its return (this call); vtime is 0 while no linked program reads it.
  assert.deepEqual(inFlight, [1, 0]);
});

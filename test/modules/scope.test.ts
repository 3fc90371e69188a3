import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { Scope } from '../../src/modules/scope.js';

function app(): string {
  const root = mkdtempSync(join(tmpdir(), 'mscope-scope-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ dependencies: { qs: '1' }, devDependencies: { '@scope/tool': '1' } }));
  for (const [dir, pkg] of [
    ['node_modules/qs', { name: 'qs', main: 'lib/index.js' }],
    ['node_modules/@scope/tool', { name: '@scope/tool', exports: { '.': { require: './cjs/main.cjs', import: './esm/main.mjs' } } }],
    ['node_modules/other', { name: 'other' }],
  ] as const) {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, 'package.json'), JSON.stringify(pkg));
  }
  return root;
}

test('application files are named by their path from the root', () => {
  const root = app();
  assert.deepEqual(new Scope({ root }).classify(join(root, 'lib/math.js')), { module: 'lib/math.js', instrument: true });
  assert.deepEqual(new Scope({ root }).classify(join(root, 'src/db.ts')), { module: 'src/db.ts', instrument: true });
});

test('direct dependencies are in scope: the main file by package name, others by subpath', () => {
  const root = app();
  const s = new Scope({ root });
  assert.deepEqual(s.classify(join(root, 'node_modules/qs/lib/index.js')), { module: 'qs', instrument: true });
  assert.deepEqual(s.classify(join(root, 'node_modules/qs/lib/utils.js')), { module: 'qs/lib/utils.js', instrument: true });
  assert.deepEqual(s.classify(join(root, 'node_modules/@scope/tool/esm/main.mjs')), { module: '@scope/tool', instrument: true });
  assert.deepEqual(s.classify(join(root, 'node_modules/@scope/tool/cjs/main.cjs')), { module: '@scope/tool', instrument: true });
});

test('transitive and nested dependencies are out of scope by default, each with its reason', () => {
  const root = app();
  const s = new Scope({ root });
  assert.deepEqual(s.classify(join(root, 'node_modules/other/index.js')), {
    module: 'other',
    instrument: false,
    reason: `other is not a dependency in ${join(root, 'package.json')}`,
  });
  assert.deepEqual(s.classify(join(root, 'node_modules/qs/node_modules/qs/index.js')), {
    module: 'qs',
    instrument: false,
    reason: `a nested copy of qs, not ${join(root, 'node_modules', 'qs')}`,
  });
});

test('the copy the root resolves is in scope through a symlinked node_modules or a hoisting workspace', () => {
  // Node loads a dependency by its real path: with ROOT/node_modules a symlink (a git worktree
  // sharing one install, npm link) no real path starts with ROOT/node_modules.
  const root = app();
  const store = mkdtempSync(join(tmpdir(), 'mscope-scope-store-'));
  renameSync(join(root, 'node_modules'), join(store, 'node_modules'));
  symlinkSync(join(store, 'node_modules'), join(root, 'node_modules'));
  const real = realpathSync(join(store, 'node_modules'));
  const s = new Scope({ root });
  assert.deepEqual(s.classify(join(real, 'qs/lib/utils.js')), { module: 'qs/lib/utils.js', instrument: true });
  assert.equal(s.classify(join(real, 'qs/node_modules/qs/index.js'))?.instrument, false);
  assert.equal(s.classify(join(real, 'other/index.js'))?.instrument, false);

  // npm and yarn workspaces hoist a package's dependencies to the monorepo's node_modules.
  const mono = realpathSync(mkdtempSync(join(tmpdir(), 'mscope-scope-mono-')));
  const pkgRoot = join(mono, 'packages', 'api');
  mkdirSync(pkgRoot, { recursive: true });
  writeFileSync(join(pkgRoot, 'package.json'), JSON.stringify({ dependencies: { qs: '1' } }));
  mkdirSync(join(mono, 'node_modules', 'qs'), { recursive: true });
  writeFileSync(join(mono, 'node_modules', 'qs', 'package.json'), JSON.stringify({ name: 'qs', main: 'lib/index.js' }));
  assert.deepEqual(new Scope({ root: pkgRoot }).classify(join(mono, 'node_modules/qs/lib/index.js')), { module: 'qs', instrument: true });
});

test('application files outside the root: ../ under the same top directory, else the absolute path', () => {
  const root = app();
  const s = new Scope({ root });
  assert.deepEqual(s.classify(join(root, '..', 'lib', 'a.js')), { module: `../lib/a.js`, instrument: true });
  const top = root.split(sep).slice(0, 2).join(sep);
  const farTop = `${top}-elsewhere`;
  assert.deepEqual(s.classify(join(farTop, 'x', 'app.js')), { module: join(farTop, 'x', 'app.js'), instrument: true });
});

test('--modules globs apply in order: a glob includes, !glob excludes', () => {
  const root = app();
  const widen = new Scope({ root, modules: ['other'] });
  assert.equal(widen.classify(join(root, 'node_modules/other/index.js'))?.instrument, true);
  const narrow = new Scope({ root, modules: ['!*', 'lib/*'] });
  assert.equal(narrow.classify(join(root, 'lib/math.js'))?.instrument, true);
  assert.equal(narrow.classify(join(root, 'src/db.ts'))?.instrument, false);
  assert.equal(narrow.classify(join(root, 'node_modules/qs/lib/index.js'))?.instrument, false);
  const exclude = new Scope({ root, modules: ['!qs*'] });
  assert.deepEqual(exclude.classify(join(root, 'node_modules/qs/lib/utils.js')), {
    module: 'qs/lib/utils.js',
    instrument: false,
    reason: 'excluded by --modules !qs*',
  });
});

test('a root inside node_modules (a package tested in place) names files from that root', () => {
  const root = app();
  const s = new Scope({ root: join(root, 'node_modules/qs') });
  assert.deepEqual(s.classify(join(root, 'node_modules/qs/lib/utils.js')), { module: 'lib/utils.js', instrument: true });
});

test("microScope's own files are never classified: its sources, tsc's build and the bundle that runs", () => {
  const scope = new Scope({ root: new URL('../..', import.meta.url).pathname, modules: ['*'] });
  for (const own of ['src/modules/scope.ts', 'dist/modules/scope.js', 'lib/cli/main.js', 'lib/chunks/chunk-ABC.js']) {
    assert.equal(scope.classify(new URL(`../../${own}`, import.meta.url).pathname), null, own);
  }
  assert.notEqual(scope.classify(new URL('../../examples/demo/lib/orders.js', import.meta.url).pathname), null);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { readFileSync as importedReadFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { registerAllCoreModules, registerCoreModule } from '../../src/modules/core-modules.js';
import { registry } from '../../src/core/index.js';
import { link } from '../../src/weaver/index.js';

const require = createRequire(import.meta.url);
const cjsFs = require('node:fs') as typeof fs;
const self = new URL(import.meta.url).pathname;

test('registering a core module creates node probes but installs no wrapper', () => {
  const original = cjsFs.readFileSync;
  registerCoreModule('fs');
  assert.ok(registry.lookup('node', 'fs', 'readFileSync', 'entry'));
  assert.ok(registry.lookup('node', 'fs', 'readFile', 'error'));
  assert.equal(cjsFs.readFileSync, original, 'untouched until a probe is enabled');
  assert.equal(registerCoreModule('node:fs'), registerCoreModule('fs'), 'idempotent, with or without node:');
});

test('classes and constructors are not probes', () => {
  registerCoreModule('fs');
  assert.equal(registry.lookup('node', 'fs', 'ReadStream', 'entry'), undefined);
  registerCoreModule('events');
  assert.ok(registry.lookup('node', 'events', 'once', 'entry'));
});

test('enabling a probe installs a wrapper that CommonJS and ESM named imports both see', () => {
  registerCoreModule('fs');
  const original = cjsFs.existsSync;
  const seen: unknown[] = [];
  const h = link('node:fs:existsSync:', (ev) => seen.push(ev.probe.name === 'entry' ? ev.args[0] : ev.retval));
  assert.notEqual(cjsFs.existsSync, original);
  assert.equal(cjsFs.existsSync.name, 'existsSync');
  assert.equal(cjsFs.existsSync.length, original.length);
  assert.equal(cjsFs.existsSync(self), true);
  h.unlink();
  cjsFs.existsSync(self);
  assert.deepEqual(seen, [self, true]);
});

test('ESM named imports of a core module see the wrapper (syncBuiltinESMExports)', () => {
  registerCoreModule('fs');
  let n = 0;
  const h = link('node:fs:readFileSync:entry', () => n++);
  importedReadFileSync(self);
  h.unlink();
  importedReadFileSync(self);
  assert.equal(n, 1);
});

test('errors fire the error probe and propagate unchanged', () => {
  registerCoreModule('fs');
  const errors: unknown[] = [];
  const h = link('node:fs:statSync:error', (ev) => errors.push(ev.error));
  assert.throws(() => cjsFs.statSync('/definitely/not/here'), { code: 'ENOENT' });
  h.unlink();
  assert.equal(errors.length, 1);
  assert.equal((errors[0] as NodeJS.ErrnoException).code, 'ENOENT');
});

test('a returned promise is the return value, fired at once', async () => {
  registerCoreModule('fs/promises');
  const rets: unknown[] = [];
  const h = link('node:fs/promises:readFile:return', (ev) => rets.push(ev.retval));
  const fsp = require('node:fs/promises') as typeof import('node:fs/promises');
  const missing = fsp.readFile(`${self}.missing`, 'utf8');
  assert.equal(rets.length, 1);
  assert.equal(rets[0], missing);
  h.unlink();
  await assert.rejects(missing, { code: 'ENOENT' });
});

test('registerAllCoreModules lists what it leaves out and why', () => {
  registerAllCoreModules();
  assert.ok(registry.list().filter((p) => p.provider === 'node').length > 500);
  assert.ok(registry.skipped().some((s) => s.provider === 'node' && s.module === 'punycode'));
});

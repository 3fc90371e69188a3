import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Probe, ProbeEvent } from '../../src/core/index.js';
import { loadMonitorFile } from '../../src/agent/monitor-file.js';
import { FIXTURES, collect } from './mscope.js';

const monitor = (name: string): string => join(FIXTURES, 'monitors', name);
const out = { write: () => {}, exit: () => {} };

test('each description is linked only for the probe names the monitor has handlers for', async () => {
  const m = await loadMonitorFile(monitor('entry-return.ts'), 'entry-return.ts');
  assert.deepEqual(
    m.links.map((l) => [l.description.text, l.description.module, l.description.func, l.description.name]),
    [
      ['fn:lib/x.js::', 'lib/x.js', '', 'entry'],
      ['fn:lib/x.js::', 'lib/x.js', '', 'return'],
      ['fn:lib/y.js:f:entry', 'lib/y.js', 'f', 'entry'],
    ],
  );
});

test('with onEvent, one link per description dispatches by probe name', async () => {
  const m = await loadMonitorFile(monitor('dispatch.ts'), 'dispatch.ts');
  assert.equal(m.links.length, 1);
  const seen: string[] = [];
  const collect = { write: (t: string) => seen.push(t), exit: () => {} };
  const h = m.links[0]!.handler;
  h(new ProbeEvent(new Probe(1, 'dc', '', 'c', 'entry')), collect);
  h(new ProbeEvent(new Probe(2, 'dc', '', 'c', 'publish')), collect);
  assert.deepEqual(seen, ['entry handler: entry', 'event handler: publish']);
});

test('a default export keeps `this` in its handlers and onExit', async () => {
  const m = await loadMonitorFile(monitor('errors.js'), 'errors.js');
  const ev = new ProbeEvent(new Probe(1, 'fn', 'm', 'f', 'error'));
  ev.error = new Error('boom');
  m.links[0]!.handler(ev, out);
  const written: string[] = [];
  m.onExit!({ write: (t) => written.push(t), exit: () => {} });
  assert.deepEqual(written, ['error f: boom\n']);
});

test('bad monitor files are rejected with one line naming the file', async () => {
  const cases: [string, RegExp][] = [
    ['missing.ts', /^monitor missing\.ts: no such file$/],
    ['no-probes.ts', /^monitor no-probes\.ts: exports no probes/],
    ['mismatch.ts', /^monitor mismatch\.ts: probe description "fn:::return" selects no probe this monitor has a handler for$/],
    ['syntax-error.ts', /^monitor syntax-error\.ts: \S+syntax-error\.ts:3:\d+: /],
  ];
  for (const [file, message] of cases) {
    await assert.rejects(loadMonitorFile(monitor(file), file), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'MSCOPE_BAD_MONITOR');
      assert.match(e.message, message);
      assert.ok(!e.message.includes('\n'), e.message);
      return true;
    });
  }
});

// esbuild reads ESBUILD_WORKER_THREADS as it loads and its worker copies the environment as it
// starts: with tsx (and esbuild) loaded first and the flag set while a monitor's transform
// started that worker, the worker exited at once and the transform waited on it forever (Node 22
// and newer, where tsx transforms in the importing thread). A failing transform is never cached,
// so syntax-error.ts always starts the worker.
test('a TypeScript monitor loads in a process where tsx and esbuild loaded first', { timeout: 60_000 }, async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(FIXTURES, 'tsx-loaded', 'load-monitor.mjs'), monitor('syntax-error.ts'), monitor('entry-return.ts')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const hung = setTimeout(() => child.kill('SIGKILL'), 50_000);
  const r = await collect(child).finally(() => clearTimeout(hung));
  assert.equal(r.signal, null, `killed: it hung; stdout: ${r.stdout}`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^monitor syntax-error\.ts: \S+syntax-error\.ts:3:\d+: .*\nentry-return\.ts: 3 links\n$/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Probe, ProbeEvent } from '../../src/core/index.js';
import { loadMonitorFile as loadCompiled } from '../../src/agent/monitor-file.js';
import { compileMonitorFile } from '../../src/consumer/monitor-compile.js';
import { FIXTURES } from './mscope.js';

const monitor = (name: string): string => join(FIXTURES, 'monitors', name);

/** As mscope loads a monitor: compiled into a private directory, then imported from there. */
async function loadMonitorFile(path: string, name: string): Promise<Awaited<ReturnType<typeof loadCompiled>>> {
  return loadCompiled(await compileMonitorFile(path, name, mkdtempSync(join(tmpdir(), 'mscope-compile-')), 0), name);
}
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

test('the link options a file declares are what each of its links is given; undeclared ones are left to link()', async () => {
  assert.deepEqual((await loadMonitorFile(monitor('borrowing-count.ts'), 'borrowing-count.ts')).linkOptions, {
    keepsEvents: false,
    readsArgs: false,
  });
  assert.deepEqual((await loadMonitorFile(monitor('entry-return.ts'), 'entry-return.ts')).linkOptions, {});
});

test('bad monitor files are rejected with one line naming the file', async () => {
  const cases: [string, RegExp][] = [
    ['missing.ts', /^monitor missing\.ts: no such file$/],
    ['no-probes.ts', /^monitor no-probes\.ts: exports no probes/],
    ['mismatch.ts', /^monitor mismatch\.ts: probe description "fn:::return" selects no probe this monitor has a handler for$/],
    ['bad-keeps-events.ts', /^monitor bad-keeps-events\.ts: export `keepsEvents` is "no", not true or false$/],
    ['syntax-error.ts', /^monitor syntax-error\.ts: \S+syntax-error\.ts:3:20: Unexpected ";"$/],
    [
      'compiled/missing-package.ts',
      /^monitor compiled\/missing-package\.ts: \S+missing-package\.ts:2:25: Could not resolve "no-such-package-mscope"$/,
    ],
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

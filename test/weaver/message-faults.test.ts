import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const APP = fileURLToPath(new URL('../fixtures/weaver/fault-app.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mscope-faults-'));

function run(mode: string, isolate: string): { stdout: Buffer; stderr: string; status: number | null; report: string } {
  const report = join(dir, `${mode}-${isolate}.json`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', APP, mode, report, isolate, join(dir, `${mode}-${isolate}.marker`)], {
    timeout: 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr.toString(), status: r.status, report };
}

const baseline = run('none', 'worker');

const CASES: Array<{ fault: string; isolate: 'worker' | 'process'; kind: string; what: string }> = [
  { fault: 'throw', isolate: 'worker', kind: 'throw', what: 'throws' },
  { fault: 'loop', isolate: 'worker', kind: 'hang', what: 'loops forever' },
  { fault: 'memory', isolate: 'worker', kind: 'memory', what: 'exhausts its memory' },
  { fault: 'crash', isolate: 'worker', kind: 'crash', what: 'exits its worker' },
  { fault: 'loop', isolate: 'process', kind: 'hang', what: 'loops forever' },
  { fault: 'memory', isolate: 'process', kind: 'memory', what: 'exhausts its memory' },
  { fault: 'abort', isolate: 'process', kind: 'crash', what: 'crashes its process' },
];

test('the uninstrumented baseline prints 30 rounds', () => {
  assert.equal(baseline.status, 0);
  assert.equal(baseline.stdout.toString().split('\n').length, 31);
});

for (const c of CASES) {
  test(`message binding (${c.isolate}): a monitor that ${c.what} is reported and contained; stdout is byte-identical`, () => {
    const r = run(c.fault, c.isolate);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.equals(baseline.stdout), 'stdout differs from the uninstrumented run');
    assert.equal(r.stderr, '', 'nothing written to the application stderr');
    const rep = JSON.parse(readFileSync(r.report, 'utf8')) as {
      faults: Array<{ kind: string; restarts: number }>;
      stats: { events: number; drops: number; faults: number };
      flushed: number;
      flushedAfterRestart: number;
    };
    assert.ok(
      rep.faults.some((f) => f.kind === c.kind),
      `expected a ${c.kind} fault, got ${JSON.stringify(rep.faults)}`,
    );
    assert.ok(rep.stats.faults >= 1);
    if (c.kind !== 'throw') {
      assert.ok(
        rep.faults.some((f) => f.restarts >= 1),
        'the monitor was restarted',
      );
      assert.ok(rep.stats.drops >= 1, 'the events the dead monitor held are counted as drops');
      assert.ok(rep.flushedAfterRestart > 0, 'the restarted monitor folded events sent after the fault');
    }
    // Every event is either folded into a flush that reached the owner or counted as a drop.
    assert.equal(rep.flushed + rep.stats.drops + (c.kind === 'throw' ? 1 : 0), rep.stats.events);
  });
}

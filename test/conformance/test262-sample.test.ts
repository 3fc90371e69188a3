import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The fixed test262 sample of `npm run conformance` (directive prologues, function code,
 * classes, async functions, generators, modules, eval, global code), each test run plainly
 * and through the rewrite with every fn probe linked. Differences are listed in
 * docs/CONFORMANCE.md; this list must match it.
 */
const KNOWN_DIFFERENCES: string[] = [];

const ROOT = resolve(import.meta.dirname, '../..');
const CANARY = join(ROOT, 'test/fixtures/conformance/canary.js');

interface Fired {
  entry: number;
  return: number;
  error: number;
}
interface Variant {
  variant: string;
  plain: { pass: boolean };
  traced: { pass: boolean };
  sites: number;
  fired: Fired;
}
interface Report {
  files: number;
  differences: Array<{ file: string; variant: string }>;
  silent: unknown[];
  harnessErrors: unknown[];
  total: Fired;
  groups: Record<string, { files: number; plainFail: number; fired: number }>;
  extras: Record<string, { results: Variant[] }>;
}

function runSample(): Report | null {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-t262-'));
  try {
    const out = join(dir, 'report.json');
    const r = spawnSync(process.execPath, ['scripts/conformance/test262.mjs', '--sample', '--file', CANARY, '--json', out], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (r.status === 2 && r.stderr.includes('no shared/test262')) return null;
    assert.ok(r.status === 0 || r.status === 1, `test262.mjs exited ${r.status}: ${r.stderr}`);
    return JSON.parse(readFileSync(out, 'utf8')) as Report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('test262 sample: the rewrite with every fn probe enabled changes no outcome', async (t) => {
  const report = runSample();
  if (report === null) {
    t.skip('shared/test262 is not beside this checkout');
    return;
  }

  await t.test('the canary fires exactly the probes of the calls it makes', () => {
    const canary = report.extras[CANARY]!;
    assert.deepEqual(
      canary.results.map((v) => [v.variant, v.plain.pass, v.traced.pass, v.sites, v.fired]),
      [
        ['sloppy', true, true, 2, { entry: 3, return: 2, error: 1 }],
        ['strict', true, true, 2, { entry: 3, return: 2, error: 1 }],
      ],
    );
  });

  await t.test('the sample covers the directories it names, and probes fired in each', () => {
    assert.ok(report.files > 300, `${report.files} files`);
    for (const dir of ['directive-prologue', 'function-code', 'statements', 'expressions', 'module-code', 'eval-code', 'global-code']) {
      assert.ok(report.groups[dir]!.fired > 0, `no probe fired in ${dir}`);
    }
    assert.deepEqual(report.silent, [], 'tests whose rewritten code never registered its probes');
    assert.deepEqual(report.harnessErrors, []);
  });

  await t.test('differences are exactly the documented ones', () => {
    assert.deepEqual(
      report.differences.map((d) => `${d.file} [${d.variant}]`),
      KNOWN_DIFFERENCES,
    );
  });
});

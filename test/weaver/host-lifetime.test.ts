import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const APP = fileURLToPath(new URL('../fixtures/weaver/host-lifetime.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mscope-host-lifetime-'));

const CASES = [
  { mode: 'restart', what: 'unlinked while a restart is scheduled, no host starts and the program exits' },
  { mode: 'never-unlink', what: 'a program that never unlinks exits when its work is done' },
];

for (const isolate of ['process', 'worker']) {
  for (const c of CASES) {
    test(`message binding (${isolate}): ${c.what}`, () => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', APP, isolate, c.mode, join(dir, `${isolate}-${c.mode}.marker`)], {
        timeout: 40_000,
      });
      assert.equal(r.status, 0, `status ${r.status} ${r.signal ?? ''}: ${r.stderr.toString()}`);
      assert.equal(r.stdout.toString(), 'done\n');
    });
  }
}

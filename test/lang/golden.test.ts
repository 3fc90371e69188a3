import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCase } from '../golden/run-case.js';

// Golden cases: test/golden/NAME.d is run in the solo role against the fixture workload
// (run-case.ts); NAME.out holds what it prints (or NAME.err the diagnostics). Re-accept deliberate
// changes with: MSCOPE_ACCEPT=1 node scripts/test.mjs golden
const DIR = join(import.meta.dirname, '..', 'golden');
const ACCEPT = process.env.MSCOPE_ACCEPT === '1';

function compare(path: string, actual: string): void {
  if (ACCEPT) {
    if (actual !== '' || existsSync(path)) writeFileSync(path, actual);
    return;
  }
  const expected = existsSync(path) ? readFileSync(path, 'utf8') : '';
  assert.equal(actual, expected, `${path} differs; re-accept with MSCOPE_ACCEPT=1 if the change is deliberate`);
}

const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.d'))
  .sort();

test('there are golden cases', () => assert.ok(cases.length > 10));

for (const name of cases) {
  test(`golden ${name}`, async () => {
    const text = readFileSync(join(DIR, name), 'utf8');
    const { out, err } = await runCase(name, text);
    compare(join(DIR, name.replace(/\.d$/, '.out')), out);
    compare(join(DIR, name.replace(/\.d$/, '.err')), err);
  });
}

test('every error message in the catalogue has a golden case', async () => {
  const { Messages } = await import('../../src/lang/diagnostics.js');
  const errs = readdirSync(DIR)
    .filter((f) => f.endsWith('.err'))
    .map((f) => readFileSync(join(DIR, f), 'utf8'))
    .join('');
  // D5001 (unmatched description) needs a probe list; test/lang/warnings.test.ts covers it.
  const missing = Object.keys(Messages).filter((code) => code !== 'D5001' && !errs.includes(`[${code}]`));
  assert.deepEqual(missing, []);
});

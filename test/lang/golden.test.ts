import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compile, ProgramInstance, renderDiagnostics } from '../../src/lang/index.js';
import { workload } from '../golden/fixture.js';

// Golden cases: test/golden/NAME.d is run in the solo role against the fixture workload;
// NAME.out holds what it prints (or NAME.err the diagnostics). Re-accept deliberate
// changes with: MSCOPE_ACCEPT=1 node scripts/test.mjs golden
const DIR = join(import.meta.dirname, '..', 'golden');
const ACCEPT = process.env.MSCOPE_ACCEPT === '1';

async function runCase(file: string, text: string): Promise<{ out: string; err: string }> {
  const sources = [{ file, text }];
  const quiet = /^#!.*-q/.test(text) || text.includes('// quiet');
  const format = text.includes('// json') ? 'json' : 'text';
  // `// args: ["42", "world"]` gives the case macro arguments, as `--arg` does.
  const args = /^\/\/ args: (.*)$/m.exec(text);
  const macroArgs = args === null ? [] : (JSON.parse(args[1]!) as string[]);
  const r = compile(sources, { quiet, format, macroArgs });
  const warnings = r.diagnostics.filter((d) => d.severity === 'warning');
  if (r.program === undefined) return { out: '', err: renderDiagnostics(r.diagnostics, sources) };
  let out = '';
  let exited: number | null = null;
  let resolveExit: () => void = () => {};
  const exitPromise = new Promise<void>((resolve) => (resolveExit = resolve));
  const inst = new ProgramInstance(r.program, 'solo', {
    output: (t) => (out += t),
    exit: (n) => {
      exited = n;
      resolveExit();
    },
    warn: (t) => (out += `[warning] ${t}`),
  });
  inst.start();
  if (exited === null) await workload();
  if (exited === null && r.program.clauses.some((c) => c.probes.some((p) => p.special?.kind === 'tick'))) {
    await Promise.race([exitPromise, new Promise((resolve) => setTimeout(resolve, 5000))]);
  }
  inst.finish();
  if (exited !== null) out += `[exit ${exited}]\n`;
  return { out, err: warnings.length > 0 ? renderDiagnostics(warnings, sources) : '' };
}

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

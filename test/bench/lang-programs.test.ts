import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../../src/lang/index.js';

// The D programs of bench/lang.bench.mjs. A language check added later refused one
// (`n = n + 1` before any declaration, D4129) and `npm run bench` stopped there.
const BENCH = new URL('../../bench/lang.bench.mjs', import.meta.url).href;

interface LangBench {
  PROGRAMS: Record<string, string>;
  program(n: number): string;
}

test('every D program the language benchmark runs compiles', async () => {
  const bench = (await import(BENCH)) as LangBench;
  const programs = { ...bench.PROGRAMS, '200 clauses': bench.program(200) };
  assert.ok(Object.keys(programs).length >= 6);
  for (const [variant, text] of Object.entries(programs)) {
    const r = compile([{ file: 'bench.d', text }], { quiet: true });
    assert.deepEqual(
      r.diagnostics.filter((d) => d.severity === 'error'),
      [],
      `${variant}: ${text}`,
    );
    assert.ok(r.program !== undefined, variant);
  }
});

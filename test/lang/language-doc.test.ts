import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCase } from '../golden/run-case.js';

// docs/LANGUAGE.md's checked examples: a ```d block followed by an ```output block is run as
// a golden case is (in-process, against the fixture workload), and must print that output.
// Trailing spaces are not compared: prettier strips them from the page (printa pads its columns).
const DOC = join(import.meta.dirname, '..', '..', 'docs', 'LANGUAGE.md');
const EXAMPLE = /```d\n([\s\S]*?)```\n\n```output\n([\s\S]*?)```\n/g;

const examples = [...readFileSync(DOC, 'utf8').matchAll(EXAMPLE)].map((m, i) => ({
  n: i + 1,
  line: readFileSync(DOC, 'utf8').slice(0, m.index).split('\n').length,
  program: m[1]!,
  output: m[2]!,
}));

test('LANGUAGE.md has checked examples in every chapter that shows a program', () => assert.ok(examples.length >= 15));

for (const ex of examples) {
  test(`LANGUAGE.md example ${ex.n} (line ${ex.line})`, async () => {
    const { out, err } = await runCase(`example-${ex.n}.d`, ex.program);
    assert.equal(trimLines(out + err), trimLines(ex.output), `docs/LANGUAGE.md:${ex.line}: the example's output changed`);
  });
}

function trimLines(text: string): string {
  return text.replace(/[ \t]+$/gm, '');
}

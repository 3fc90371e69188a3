import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TEST262 } from './runner.mjs';

/** The fixed sample `npm test` runs: every `step`-th test (sorted) of each directory. */
const SAMPLE = [
  ['directive-prologue', 1],
  ['function-code', 4],
  ['global-code', 2],
  ['statements/class', 100],
  ['expressions/class', 120],
  ['expressions/async-arrow-function', 4],
  ['expressions/async-function', 4],
  ['statements/async-function', 4],
  ['expressions/async-generator', 20],
  ['statements/generators', 12],
  ['expressions/generators', 12],
  ['module-code', 8],
  ['eval-code', 25],
  ['arguments-object', 25],
];

/** Tests that once differed in the full run, kept in the sample so that they stay fixed. */
const FOUND = ['function-code/S10.2.1_A4_T2.js', 'statements/async-generator/return-undefined-implicit-and-explicit.js'];

export function listTests(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js') && !e.name.includes('_FIXTURE')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

export function sampleFiles() {
  const out = [];
  for (const [dir, step] of SAMPLE) {
    const all = listTests(resolve(TEST262, 'test/language', dir));
    for (let i = 0; i < all.length; i += step) out.push(all[i]);
  }
  for (const file of FOUND) out.push(resolve(TEST262, 'test/language', file));
  return out;
}

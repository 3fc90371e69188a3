#!/usr/bin/env node
// `npm run conformance`: test262 language, then the real programs; fails if either differs.
import { spawnSync } from 'node:child_process';

let failed = false;
for (const script of ['test262.mjs', 'programs.mjs']) {
  process.stdout.write(`\n== ${script}\n`);
  const r = spawnSync(process.execPath, [new URL(script, import.meta.url).pathname], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;

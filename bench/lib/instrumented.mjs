// Loads bench/fixtures/calls-target.mjs "instrumentable": through microScope's load-time
// rewrite of function bodies when the build has it, else through defineModule.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = new URL('../../dist/', import.meta.url);
const target = new URL('../fixtures/calls-target.mjs', import.meta.url);
export const MODULE_NAME = 'bench/fixtures/calls-target.mjs';

/** Returns { api, method } where method is 'rewrite' or 'defineModule'. */
export async function loadInstrumentedTarget() {
  const wanted = process.env.MSCOPE_BENCH_INSTRUMENT ?? 'rewrite';
  if (wanted === 'rewrite') {
    const rewritten = await tryRewrite();
    if (rewritten !== null) return { api: rewritten, method: 'rewrite' };
  }
  const { defineModule } = await import(new URL('modules/define.js', dist).href);
  const plain = await import(target.href);
  return { api: defineModule(MODULE_NAME, { add: plain.add, work: plain.work }), method: 'defineModule' };
}

async function tryRewrite() {
  let transform, installRuntime;
  try {
    ({ transform } = await import(new URL('modules/transform.js', dist).href));
    ({ installRuntime } = await import(new URL('modules/runtime.js', dist).href));
  } catch {
    return null;
  }
  if (typeof transform !== 'function' || typeof installRuntime !== 'function') return null;
  installRuntime();
  const { code } = transform(readFileSync(target, 'utf8'), { module: MODULE_NAME, format: 'module' });
  const dir = mkdtempSync(join(tmpdir(), 'mscope-bench-'));
  const file = join(dir, 'calls-target.mjs');
  writeFileSync(file, code);
  // Loaded once imported: each benchmark process would otherwise leave a directory behind.
  return import(pathToFileURL(file).href).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/** Where this file's own package sources and build live: src/core/ → src/ and dist/. */
const SRC = new URL('../', import.meta.url).href;
const DIST = new URL('../../dist/', import.meta.url).href;

/** Set by scripts/test.mjs, which runs after `npm test` has built dist/. */
export const BUILT_THREADS_ENV = 'MSCOPE_BUILT_THREADS';

/**
 * The URL of `./name` next to `from` (an `import.meta.url`), for a module that another thread or
 * process loads: the `.js` beside a built file; run from source (tests under tsx), the `.ts`,
 * which that thread must load through tsx again. With MSCOPE_BUILT_THREADS=1 a source caller
 * gets the built copy under dist/ instead: each of the test suite's many worker starts then
 * loads plain JavaScript (about a fifth of the CPU time of registering tsx in the worker).
 */
export function threadEntryUrl(name: string, from: string): URL {
  if (!from.endsWith('.ts')) return new URL(`./${name}.js`, from);
  if (process.env[BUILT_THREADS_ENV] === '1' && from.startsWith(SRC)) {
    return new URL(`./${name}.js`, DIST + from.slice(SRC.length));
  }
  return new URL(`./${name}.ts`, from);
}

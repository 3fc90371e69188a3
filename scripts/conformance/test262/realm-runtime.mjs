import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { createRequire } from 'node:module';
import { buildSync } from 'esbuild';

/**
 * microScope's runtime has to live in the realm of the code it traces, as it does in a
 * traced program (`instanceof Promise`, thenables): this bundles dist/ once into one script,
 * compiled once and run in each fresh realm. Node built-ins come from the host.
 */
export function compileRealmRuntime() {
  const entry = fileURLToPath(new URL('./realm-runtime-entry.mjs', import.meta.url));
  // import.meta.url locates the package (own frames); any file of dist/core does.
  const meta = JSON.stringify(new URL('../../../dist/core/index.js', import.meta.url).href);
  const out = buildSync({
    entryPoints: [entry],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
    logLevel: 'error',
    define: { 'import.meta.url': meta },
  });
  const code = `(function (require, process, URL) { var module = { exports: {} }, exports = module.exports;\n${out.outputFiles[0].text}\nreturn module.exports; })`;
  const script = new vm.Script(code, { filename: 'mscope-realm-runtime.js' });
  const builtins = {
    'node:worker_threads': { threadId: 0, isMainThread: true },
    'node:perf_hooks': { performance },
  };
  const hostRequire = (id) => {
    const m = builtins[id];
    if (m !== undefined) return m;
    // Other Node built-ins hold no realm-specific state the runtime relies on: the host's serve.
    if (id.startsWith('node:')) return createRequire(import.meta.url)(id);
    throw new Error(`realm runtime: no host module ${id}`);
  };
  const hostProcess = { env: {}, nextTick: process.nextTick.bind(process), stderr: process.stderr };
  /** Installs the runtime in `context`; returns its counters. */
  return (context) => script.runInContext(context)(hostRequire, hostProcess, URL).install();
}

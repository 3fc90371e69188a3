import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { threadId, type MessagePort } from 'node:worker_threads';
import { Instrumenter, rewriteLoad, type InstrumentOptions } from './hooks.js';

/** Node 20's `module.register` hooks, on the hooks thread; probe state stays on the main thread. */

let inst: Instrumenter | null = null;
/** The main thread's `process.argv[1]`: the main file, as given (absolute, maybe without its extension); null when the program has an --import of its own. */
let main: string | null = null;

export function initialize(data: { options: InstrumentOptions; port: MessagePort; main: string | null; threadIdCell: Int32Array }): void {
  const port = data.port;
  // `register` waits for this: the registering thread reads which thread the hooks run on.
  Atomics.store(data.threadIdCell, 0, threadId);
  main = data.main;
  inst = new Instrumenter(data.options, (module, func, reason) => port.postMessage({ module, func, reason }));
}

type LoadResult = Parameters<typeof rewriteLoad>[2];

export async function load(
  url: string,
  context: unknown,
  nextLoad: (url: string, context: unknown) => Promise<LoadResult>,
): Promise<LoadResult> {
  let r: LoadResult;
  try {
    r = await nextLoad(url, context);
  } catch (error) {
    if (!isRequireHookMain(url, error)) throw error;
    // Untraced, Node loads this main through CommonJS, whose require.extensions a --require'd hook
    // (tsx/cjs, ts-node) extended; a nullish source sends it there, where our compile hook rewrites it.
    return { format: 'commonjs', source: null, shortCircuit: true };
  }
  return inst !== null && url.startsWith('file:') ? rewriteLoad(inst, url, r) : r;
}

/**
 * Node 20 loads the main file through this loader once any --import is given (the agent's is):
 * a main whose extension only a CommonJS require hook knows fails here, never untraced.
 */
function isRequireHookMain(url: string, error: unknown): boolean {
  if ((error as { code?: unknown } | null)?.code !== 'ERR_UNKNOWN_FILE_EXTENSION' || main === null || !url.startsWith('file:'))
    return false;
  const file = fileURLToPath(url);
  if (file === main || (file.startsWith(main) && /^\.[^./\\]+$/.test(file.slice(main.length)))) return true;
  try {
    return file === realpathSync(main);
  } catch {
    return false;
  }
}

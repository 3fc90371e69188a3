import type { MessagePort } from 'node:worker_threads';
import { Instrumenter, rewriteLoad, type InstrumentOptions } from './hooks.js';

/** Node 20's `module.register` hooks, on the hooks thread; probe state stays on the main thread. */

let inst: Instrumenter | null = null;

export function initialize(data: { options: InstrumentOptions; port: MessagePort }): void {
  const port = data.port;
  inst = new Instrumenter(data.options, (module, func, reason) => port.postMessage({ module, func, reason }));
}

type LoadResult = Parameters<typeof rewriteLoad>[2];

export async function load(
  url: string,
  context: unknown,
  nextLoad: (url: string, context: unknown) => Promise<LoadResult>,
): Promise<LoadResult> {
  const r = await nextLoad(url, context);
  return inst !== null && url.startsWith('file:') ? rewriteLoad(inst, url, r) : r;
}

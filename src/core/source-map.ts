import { findSourceMap, type SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

const sourceMaps = new Map<string, SourceMap | null>();

/** The source map Node holds for a script's URL or path (when the program enabled source maps), looked up once. */
export function sourceMapOf(url: string): SourceMap | null {
  let map = sourceMaps.get(url);
  if (map === undefined) {
    map = findSourceMap(url) ?? (url.startsWith('file://') ? findSourceMap(fileURLToPath(url)) : undefined) ?? null;
    sourceMaps.set(url, map);
  }
  return map;
}

/**
 * Keeps an inline source map (tsx, esbuild, tsc --inlineSourceMap) true after the rewrite
 * inserted text: only generated columns move. The mappings' VLQ codec is the ecosystem's
 * (@jridgewell/sourcemap-codec, what rollup, babel and terser use).
 */

import { decode, encode } from '@jridgewell/sourcemap-codec';

const INLINE = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/;

/** An insertion at a (line, column) of the code before the rewrite. */
export interface Insertion {
  readonly line: number;
  readonly column: number;
  readonly length: number;
}

export function hasInlineSourceMap(code: string): boolean {
  return INLINE.test(code);
}

/** `code` is the rewritten code; `insertions` are sorted by position in the original. */
export function shiftInlineSourceMap(code: string, insertions: readonly Insertion[]): string {
  const m = INLINE.exec(code);
  if (m === null) return code;
  let map: { mappings?: unknown };
  try {
    map = JSON.parse(Buffer.from(m[1]!, 'base64').toString('utf8')) as { mappings?: unknown };
  } catch {
    return code;
  }
  if (typeof map.mappings !== 'string') return code;
  map.mappings = shiftMappings(map.mappings, insertions);
  const encoded = Buffer.from(JSON.stringify(map), 'utf8').toString('base64');
  return `${code.slice(0, m.index)}//# sourceMappingURL=data:application/json;charset=utf-8;base64,${encoded}\n`;
}

/**
 * Only the lines with insertions are decoded: each alone, from a zero state, and re-encoded
 * the same way, so the source, line and name fields keep their deltas to the lines around.
 */
function shiftMappings(mappings: string, insertions: readonly Insertion[]): string {
  const lines = mappings.split(';');
  let k = 0;
  for (let line = 0; line < lines.length; line++) {
    while (k < insertions.length && insertions[k]!.line < line) k++;
    if (k >= insertions.length || insertions[k]!.line !== line || lines[line] === '') continue;
    const [segments] = decode(lines[line]!);
    for (const seg of segments!) {
      const column = seg[0];
      for (let j = k; j < insertions.length && insertions[j]!.line === line && insertions[j]!.column <= column; j++) {
        seg[0] += insertions[j]!.length;
      }
    }
    lines[line] = encode([segments!]);
  }
  return lines.join(';');
}

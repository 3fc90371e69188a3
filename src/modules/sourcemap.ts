/**
 * Keeps an inline source map (tsx, esbuild, tsc --inlineSourceMap) true after the rewrite
 * inserted text: only generated columns move, so only the first field of each segment is
 * re-encoded; the other fields are deltas that do not depend on it and are kept verbatim.
 */

const INLINE = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

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

function shiftMappings(mappings: string, insertions: readonly Insertion[]): string {
  const lines = mappings.split(';');
  let k = 0;
  for (let line = 0; line < lines.length; line++) {
    while (k < insertions.length && insertions[k]!.line < line) k++;
    if (k >= insertions.length || insertions[k]!.line !== line || lines[line] === '') continue;
    const mine: Insertion[] = [];
    for (let j = k; j < insertions.length && insertions[j]!.line === line; j++) mine.push(insertions[j]!);
    lines[line] = shiftLine(lines[line]!, mine);
  }
  return lines.join(';');
}

function shiftLine(text: string, ins: readonly Insertion[]): string {
  let col = 0;
  let prevNew = 0;
  const out: string[] = [];
  for (const seg of text.split(',')) {
    const [delta, used] = decodeVlq(seg, 0);
    col += delta;
    let shifted = col;
    for (const i of ins) if (i.column <= col) shifted += i.length;
    out.push(encodeVlq(shifted - prevNew) + seg.slice(used));
    prevNew = shifted;
  }
  return out.join(',');
}

function decodeVlq(s: string, at: number): [number, number] {
  let result = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    const digit = B64_INDEX.get(s[i++]!) ?? 0;
    result += (digit & 31) << shift;
    shift += 5;
    if ((digit & 32) === 0 || i >= s.length) break;
  }
  const value = result >> 1;
  return [(result & 1) === 1 ? -value : value, i];
}

function encodeVlq(n: number): string {
  let v = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = '';
  do {
    let digit = v & 31;
    v >>>= 5;
    if (v > 0) digit |= 32;
    out += B64[digit];
  } while (v > 0);
  return out;
}

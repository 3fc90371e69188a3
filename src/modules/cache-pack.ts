/**
 * One file per program holding the transform cache's entries its last run used, so that a warm
 * start reads one file instead of one per module (300 opens, stats and reads cost 8 ms of a
 * 140 ms start, docs/benchmarks.md). Entries stay keyed by TransformCache.key: a pack only
 * replaces the lookup's file reads, never the key's check of the source.
 *
 * Layout: `//mscope-pack 1 [[key, length], …]\n` then the entries' code, concatenated in order.
 */
const HEADER = '//mscope-pack 1 ';

export type Entry = readonly [key: string, code: string];

/** The entries of a pack's text; empty when it is not a well-formed pack. */
export function parsePack(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  const eol = text.indexOf('\n');
  if (!text.startsWith(HEADER) || eol < 0) return entries;
  let index: unknown;
  try {
    index = JSON.parse(text.slice(HEADER.length, eol));
  } catch {
    return entries;
  }
  if (!Array.isArray(index)) return entries;
  let at = eol + 1;
  for (const e of index as unknown[]) {
    if (!Array.isArray(e) || typeof e[0] !== 'string' || !Number.isInteger(e[1]) || (e[1] as number) < 0) return new Map();
    const end = at + (e[1] as number);
    if (end > text.length) return new Map();
    entries.set(e[0], text.slice(at, end));
    at = end;
  }
  return at === text.length ? entries : new Map();
}

/** The text of a pack holding `entries`. */
export function formatPack(entries: Iterable<Entry>): string {
  const index: [string, number][] = [];
  const codes: string[] = [];
  for (const [key, code] of entries) {
    index.push([key, code.length]);
    codes.push(code);
  }
  return `${HEADER}${JSON.stringify(index)}\n${codes.join('')}`;
}

/** A short name for a program's pack (FNV-1a, 2 × 32 bits): two programs sharing one only rewrite it more often. */
export function packName(parts: readonly string[]): string {
  const text = parts.join('\0');
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return `pack-${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}.txt`;
}

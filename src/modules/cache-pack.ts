/**
 * One file per program holding the transform cache's entries its last run used, so that a warm
 * start reads one file instead of one per module (300 opens, stats and reads cost 8 ms of a
 * 140 ms start, docs/benchmarks.md). An entry holds the source it was made from, and is used only
 * for that very text: a warm start needs neither the SHA-256 key nor `node:crypto` (6 ms to load
 * on Node 26), and trusts nothing a changed file could leave behind.
 *
 * Layout: `//mscope-pack 3 VERSION [[id, sourceBytes, codeBytes], …]\n`, then each entry's
 * source and code in UTF-8, concatenated in order. VERSION is the transform's: another one's pack
 * is empty. Entries are decoded from the file's bytes one by one, so that the code a module runs
 * is a string of its own and not a slice keeping the whole pack alive.
 */
import { Buffer } from 'node:buffer';

const MAGIC = '//mscope-pack 3 ';

export interface PackEntry {
  readonly source: string;
  readonly code: string;
}

/** What an entry is found by: the module's name and the rewrite's format (cache.ts's `format`). */
export function packId(module: string, format: string): string {
  return `${format}\0${module}`;
}

/** The entries of a pack file's bytes, by id; empty when it is not a well-formed pack of `version`. */
export function parsePack(bytes: Buffer, version: number): Map<string, PackEntry> {
  const entries = new Map<string, PackEntry>();
  const head = `${MAGIC}${version} `;
  const eol = bytes.indexOf(10);
  if (eol < 0 || bytes.toString('latin1', 0, head.length) !== head) return entries;
  let index: unknown;
  try {
    index = JSON.parse(bytes.toString('utf8', head.length, eol));
  } catch {
    return entries;
  }
  if (!Array.isArray(index)) return entries;
  let at = eol + 1;
  for (const e of index as unknown[]) {
    if (!Array.isArray(e) || typeof e[0] !== 'string' || !isLength(e[1]) || !isLength(e[2])) return new Map();
    const middle = at + e[1];
    const end = middle + e[2];
    if (end > bytes.length) return new Map();
    entries.set(e[0], { source: bytes.toString('utf8', at, middle), code: bytes.toString('utf8', middle, end) });
    at = end;
  }
  return at === bytes.length ? entries : new Map();
}

function isLength(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) >= 0;
}

/** The text of a pack of `version` holding `entries`. */
export function formatPack(entries: Iterable<readonly [string, PackEntry]>, version: number): string {
  const index: [string, number, number][] = [];
  const texts: string[] = [];
  for (const [id, { source, code }] of entries) {
    index.push([id, Buffer.byteLength(source, 'utf8'), Buffer.byteLength(code, 'utf8')]);
    texts.push(source, code);
  }
  return `${MAGIC}${version} ${JSON.stringify(index)}\n${texts.join('')}`;
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

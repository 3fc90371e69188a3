import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TRANSFORM_VERSION } from './transform.js';

// Captured once: a `node:fs` probe wrapping these later must not see the agent's own reads.
const { mkdirSync, readFileSync, writeFileSync, renameSync, accessSync, constants } = fs;

function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/**
 * Transformed code on disk, keyed by a hash of (source, module name, format, transform
 * version): a warm cache skips parsing entirely. Writes go through a rename so that
 * concurrent processes never read a half-written entry.
 */
export class TransformCache {
  readonly dir: string | null;

  constructor(dir: string | null) {
    this.dir = dir;
  }

  static open(root: string, dir?: string): TransformCache {
    const candidates = [
      dir ?? process.env.MSCOPE_CACHE_DIR,
      resolve(root, 'node_modules', '.cache', 'mscope'),
      join(tmpdir(), 'mscope-cache'),
    ];
    for (const c of candidates) {
      if (c === undefined || c === '') continue;
      try {
        mkdirSync(c, { recursive: true });
        accessSync(c, constants.W_OK);
        return new TransformCache(c);
      } catch {
        continue;
      }
    }
    return new TransformCache(null);
  }

  /**
   * Two independent 32-bit FNV-1a style hashes plus the length: node:crypto would cost
   * ~20 ms of startup just to load, more than hashing a few hundred files here.
   */
  static key(source: string, module: string, format: string): string {
    const text = `${TRANSFORM_VERSION}\0${format}\0${module}\0${source}`;
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    return `${hex(h1)}${hex(h2)}${text.length.toString(16)}`;
  }

  get(key: string): string | undefined {
    if (this.dir === null) return undefined;
    try {
      return readFileSync(join(this.dir, `${key}.js`), 'utf8');
    } catch {
      return undefined;
    }
  }

  set(key: string, code: string): void {
    if (this.dir === null) return;
    const file = join(this.dir, `${key}.js`);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, code);
      renameSync(tmp, file);
    } catch {
      // A read-only or full disk only costs the next start a re-transform.
    }
  }
}

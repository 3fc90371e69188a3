import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TRANSFORM_VERSION } from './transform.js';

// Captured once: a `node:fs` probe wrapping these later must not see the agent's own reads.
const { mkdirSync, readFileSync, writeFileSync, renameSync, accessSync, constants } = fs;

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
    const candidates = [dir ?? process.env.MSCOPE_CACHE_DIR, resolve(root, 'node_modules', '.cache', 'mscope'), join(tmpdir(), 'mscope-cache')];
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

  static key(source: string, module: string, format: string): string {
    return createHash('sha1').update(`${TRANSFORM_VERSION}\0${format}\0${module}\0`).update(source).digest('hex');
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

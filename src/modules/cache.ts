import * as fs from 'node:fs';
import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { claimPrivateDir, effectiveUid, isPrivateFile } from '../core/private-dir.js';
import { TRANSFORM_VERSION } from './transform.js';
import { formatPack, packId, parsePack, type PackEntry } from './cache-pack.js';

// Captured once: a `node:fs` probe wrapping these later must not see the agent's own reads.
const { openSync, closeSync, fstatSync, readFileSync, writeFileSync, renameSync, rmSync, accessSync, constants } = fs;

const HEADER = '//mscope-cache ';
let written = 0;
// Loaded at the first key: an agent that links probes loads this file without rewriting (6 ms on Node 26).
let crypto: typeof Crypto | null = null;

/**
 * Transformed code on disk, keyed by a SHA-256 of (source, module name, format, transform
 * version): a warm cache skips parsing entirely. The code is run inside traced processes, root's
 * included, so a directory is used only if this user owns it and it is 0700, and an entry only if
 * it is this user's private file whose first line repeats its key. Writes go through a rename so
 * that concurrent processes never read a half-written entry.
 */
export class TransformCache {
  readonly dir: string | null;
  /** The program's pack (cache-pack.ts), read once; null until `usePack`. */
  private pack: ReadonlyMap<string, PackEntry> | null = null;
  private packFile: string | null = null;
  /** The entries this run used, in the order it used them: the next pack. */
  private readonly used = new Map<string, PackEntry>();
  private onStale: (() => void) | null = null;
  private stale = false;

  constructor(dir: string | null) {
    this.dir = dir;
  }

  static open(root: string, dir?: string): TransformCache {
    return new TransformCache(privateCacheDir(root, dir));
  }

  /** Hex SHA-256: what an entry is named and what its first line must repeat. */
  static key(source: string, module: string, format: string): string {
    crypto ??= createRequire(import.meta.url)('node:crypto') as typeof Crypto;
    const text = `${TRANSFORM_VERSION}\0${format}\0${module}\0${source}`;
    // The one-shot hash (Node 20.12+) skips a Hash object per file.
    return crypto.hash === undefined ? crypto.createHash('sha256').update(text).digest('hex') : crypto.hash('sha256', text);
  }

  /**
   * Reads the pack file `name` for `packed`. `onStale` is called once, when this run remembers an
   * entry the pack lacks: `savePack` then writes the entries the run used.
   */
  usePack(name: string, onStale: () => void): void {
    if (this.dir === null) return;
    this.packFile = join(this.dir, name);
    this.pack = readPack(this.packFile);
    this.onStale = onStale;
  }

  /** The pack's code for exactly `source` as `module` in `format`, or undefined. */
  packed(source: string, module: string, format: string): string | undefined {
    if (this.pack === null) return undefined;
    const id = packId(module, format);
    const entry = this.pack.get(id);
    // Kept once used: one run can ask for a file again (Node 22.15+ did for a CommonJS main; cache-pack.test.ts).
    if (entry === undefined || entry.source !== source) return undefined;
    this.used.set(id, entry);
    return entry.code;
  }

  /** Notes for the next pack that `source` as `module` in `format` became `code`. */
  remember(source: string, module: string, format: string, code: string): void {
    if (this.pack === null) return;
    this.used.set(packId(module, format), { source, code });
    if (this.stale) return;
    this.stale = true;
    this.onStale?.();
  }

  get(key: string): string | undefined {
    if (this.dir === null) return undefined;
    const text = readPrivateFile(join(this.dir, `${key}.js`));
    const head = `${HEADER}${key}\n`;
    return text?.startsWith(head) === true ? text.slice(head.length) : undefined;
  }

  set(key: string, code: string): void {
    // A read-only or full disk only costs the next start a re-transform.
    if (this.dir !== null) writePrivateFile(join(this.dir, `${key}.js`), `${HEADER}${key}\n${code}`);
  }

  /** Rewrites the pack when this run used an entry it lacked; false when there was nothing to write or it could not. */
  savePack(): boolean {
    if (!this.stale || this.packFile === null) return false;
    this.stale = false;
    return writePrivateFile(this.packFile, formatPack(this.used, TRANSFORM_VERSION));
  }
}

function readPack(file: string): Map<string, PackEntry> {
  const bytes = readPrivateBytes(file);
  return bytes === undefined ? new Map() : parsePack(bytes, TRANSFORM_VERSION);
}

/**
 * microScope's cache directory for this user: `dir`, MSCOPE_CACHE_DIR, the project's
 * node_modules/.cache/mscope (unless `root` is null: what is cached is the machine's) or a per-user one in the temporary directory, the first that this
 * user owns (lstat, no symlink), is 0700 and can write; null when none is.
 */
export function privateCacheDir(root: string | null, dir?: string): string | null {
  const uid = effectiveUid();
  const candidates = [
    dir ?? process.env.MSCOPE_CACHE_DIR,
    root === null ? undefined : resolve(root, 'node_modules', '.cache', 'mscope'),
    join(tmpdir(), uid === null ? 'mscope-cache' : `mscope-cache-${uid}`),
  ];
  for (const c of candidates) {
    if (c === undefined || c === '') continue;
    try {
      if (claimPrivateDir(c) !== null) continue;
      accessSync(c, constants.W_OK);
      return c;
    } catch {
      continue;
    }
  }
  return null;
}

/** A private file of this user in a private cache directory (O_NOFOLLOW), or undefined. */
export function readPrivateFile(file: string): string | undefined {
  return readPrivateBytes(file)?.toString('utf8');
}

/** The bytes of a private file of this user in a private cache directory (O_NOFOLLOW), or undefined. */
function readPrivateBytes(file: string): Buffer | undefined {
  let fd = -1;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    return isPrivateFile(fstatSync(fd)) ? readFileSync(fd) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** Writes through a fresh 0600 file and a rename, so that no reader sees half of it; false if it could not. */
export function writePrivateFile(file: string, text: string): boolean {
  const tmp = `${file}.${process.pid}-${written++}.tmp`;
  try {
    // 'wx' refuses an existing path (a planted file or symlink) instead of writing through it.
    writeFileSync(tmp, text, { flag: 'wx', mode: 0o600 });
    renameSync(tmp, file);
    return true;
  } catch {
    removeQuietly(tmp);
    return false;
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // The directory itself is gone or read-only: nothing was left behind to remove.
  }
}

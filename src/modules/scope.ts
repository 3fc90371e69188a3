import fs from 'node:fs';

// Captured at load, like cache.ts: reading package.json must not show up in fs probes.
const { readFileSync, realpathSync } = fs;
import { dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { compileGlob, type Matcher } from '../core/glob.js';
import { isOwnFile } from '../core/own-frames.js';

/**
 * Which files are instrumented and under which module name. Pure and synchronous:
 * Node 20 also runs it on the ESM hooks thread.
 */
export interface ScopeOptions {
  /** Application root: `MSCOPE_ROOT`, else the working directory. */
  readonly root?: string;
  /** Globs over module names applied in order: `glob` includes, `!glob` excludes. */
  readonly modules?: readonly string[];
}

export interface ScopeDecision {
  readonly module: string;
  readonly instrument: boolean;
  /** Why the file is not instrumented, when it is not (`mscope list --skipped`). */
  readonly reason?: string;
}

interface Rule {
  readonly include: boolean;
  readonly match: Matcher;
  readonly text: string;
}

export class Scope {
  readonly root: string;
  private readonly deps: ReadonlySet<string>;
  private readonly rules: readonly Rule[];
  private readonly mains = new Map<string, ReadonlySet<string>>();
  private readonly resolved = new Map<string, string | null>();

  constructor(options: ScopeOptions = {}) {
    this.root = realRoot(resolve(options.root ?? process.env.MSCOPE_ROOT ?? process.cwd()));
    this.deps = directDependencies(this.root);
    this.rules = (options.modules ?? []).map((g) =>
      g.startsWith('!') ? { include: false, match: compileGlob(g.slice(1)), text: g } : { include: true, match: compileGlob(g), text: g },
    );
  }

  /** null for files outside any naming scheme (microScope itself, non-file URLs). */
  classify(filename: string): ScopeDecision | null {
    if (!isAbsolute(filename) || isOwnFile(filename)) return null;
    const nm = filename.lastIndexOf(`${sep}node_modules${sep}`);
    let module: string;
    let reason: string | undefined;
    // The root itself may sit inside node_modules (a package's own test suite run in place).
    if (nm < 0 || (filename.startsWith(this.root + sep) && nm < this.root.length)) {
      module = applicationModule(this.root, filename);
    } else {
      const pkg = packageOf(filename, nm);
      if (pkg === null) return null;
      module = this.isMain(pkg.dir, pkg.sub) ? pkg.name : `${pkg.name}/${pkg.sub}`;
      if (!this.deps.has(pkg.name)) reason = `${pkg.name} is not a dependency in ${this.root}${sep}package.json`;
      else if (!isTopLevel(this.root, filename, nm) && pkg.dir !== this.resolvedDir(pkg.name))
        reason = `a nested copy of ${pkg.name}, not ${this.root}${sep}node_modules${sep}${pkg.name}`;
    }
    for (const r of this.rules) if (r.match(module)) reason = r.include ? undefined : `excluded by --modules ${r.text}`;
    return reason === undefined ? { module, instrument: true } : { module, instrument: false, reason };
  }

  /**
   * The real directory of the copy of `name` that the root resolves, searching node_modules
   * upward as Node does: a hoisted workspace dependency, a symlinked node_modules, `npm link`.
   */
  private resolvedDir(name: string): string | null {
    let dir = this.resolved.get(name);
    if (dir !== undefined) return dir;
    dir = null;
    for (let d = this.root; ; d = dirname(d)) {
      try {
        dir = realpathSync(join(d, 'node_modules', name));
        break;
      } catch {
        // Not here (or unreadable, which Node's resolver also passes over): look one level up.
        if (dirname(d) === d) break;
      }
    }
    this.resolved.set(name, dir);
    return dir;
  }

  private isMain(dir: string, sub: string): boolean {
    let set = this.mains.get(dir);
    if (set === undefined) {
      set = mainFiles(dir);
      this.mains.set(dir, set);
    }
    return set.has(sub);
  }
}

/** Node names loaded files by their real paths, so the root that names them must be real too. */
function realRoot(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    // A root that does not exist (yet) names files by its path as given.
    return root;
  }
}

/** `ROOT/node_modules/NAME/…`, or pnpm's `ROOT/node_modules/.pnpm/NAME@V/node_modules/NAME/…`. */
function isTopLevel(root: string, filename: string, nm: number): boolean {
  const top = `${root}${sep}node_modules`;
  if (!filename.startsWith(top + sep)) return false;
  if (nm === root.length) return true;
  const between = filename.slice(top.length, nm).split(sep);
  return between.length === 3 && between[1] === '.pnpm';
}

/**
 * The path from the root (`lib/a.js`). A file outside it keeps `../` when both lie under one
 * top-level directory (`../lib/a.js` in a monorepo), else it is named by its absolute path.
 */
function applicationModule(root: string, filename: string): string {
  const rel = relative(root, filename);
  if (!isAbsolute(rel) && (!rel.startsWith(`..${sep}`) || topDirectory(root) === topDirectory(filename))) return toPosix(rel);
  return toPosix(filename);
}

/** `/home` of `/home/me/app`, `C:\\Users` on Windows. */
function topDirectory(p: string): string {
  const end = p.indexOf(sep, parse(p).root.length);
  return end < 0 ? p : p.slice(0, end);
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function directDependencies(root: string): Set<string> {
  const pkg = readJson(resolve(root, 'package.json'));
  const out = new Set<string>();
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const deps = pkg?.[field];
    if (deps !== null && typeof deps === 'object') for (const name of Object.keys(deps)) out.add(name);
  }
  return out;
}

function packageOf(filename: string, nm: number): { name: string; dir: string; sub: string } | null {
  const start = nm + '/node_modules/'.length;
  const parts = filename.slice(start).split(sep);
  const n = parts[0]?.startsWith('@') ? 2 : 1;
  if (parts.length <= n) return null;
  const name = parts.slice(0, n).join('/');
  return { name, dir: filename.slice(0, start) + parts.slice(0, n).join(sep), sub: parts.slice(n).join('/') };
}

/** The files a bare `require(NAME)` / `import NAME` resolves to, relative to the package. */
function mainFiles(dir: string): Set<string> {
  const pkg = readJson(resolve(dir, 'package.json'));
  const entries: string[] = [];
  if (typeof pkg?.main === 'string') entries.push(pkg.main);
  collectExportTargets(pkg?.exports, entries, true);
  if (entries.length === 0) entries.push('index.js');
  const out = new Set<string>();
  for (const e of entries) {
    const p = e.replace(/^\.\//, '').replace(/\/$/, '');
    for (const c of [p, `${p}.js`, `${p}.json`, `${p}/index.js`]) out.add(c);
  }
  return out;
}

function collectExportTargets(exp: unknown, out: string[], top: boolean): void {
  if (typeof exp === 'string') out.push(exp);
  else if (Array.isArray(exp)) for (const e of exp) collectExportTargets(e, out, false);
  else if (exp !== null && typeof exp === 'object') {
    for (const [k, v] of Object.entries(exp)) {
      if (top && k.startsWith('.') && k !== '.') continue;
      collectExportTargets(v, out, false);
    }
  }
}

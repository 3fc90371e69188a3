// Turns the test files into JavaScript that plain Node runs, for scripts/test.mjs: each test file
// then starts in about a third of the CPU time it takes through tsx (no loader thread, no
// TypeScript per import), which over a hundred files and four Node lines is minutes.
//
// test/**/*.ts and the .ts files they import are transpiled (esbuild, as tsx does) into
// .test-build/PID/test/ (one directory per run, so that runs side by side do not meet), keeping
// the tree's shape. Its src is a link to dist/, so a test's `../../src/x.js` loads the build that
// `npm test` has just made, the code mscope itself runs.
// import.meta.url, .dirname and .filename keep naming the source file, so that fixtures,
// goldens and bin/ are found where they are.
import { transformSync } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const OUT = '.test-build';

/** Every src/ file whose dist/ output is missing or newer than the last build: the build a compiled test would load is stale. */
export function staleBuild(root) {
  const stale = [];
  // The build writes lib/'s metafile last, after tsc (whose incremental build leaves an unchanged
  // output untouched, so a file of dist/ may be older than its source's checkout): a build is
  // current when the metafile is newer than every source and every output exists.
  const meta = join(root, 'lib', 'metafile.json');
  const builtMs = existsSync(meta) ? statSync(meta).mtimeMs : 0;
  const walk = (dir) => {
    for (const name of readdirSync(join(root, dir))) {
      const path = join(dir, name);
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (/\.c?ts$/.test(name) && !name.endsWith('.d.ts')) {
        const out = join(root, 'dist', relative('src', path))
          .replace(/\.ts$/, '.js')
          .replace(/\.cts$/, '.cjs');
        if (!existsSync(out) || builtMs < statSync(join(root, path)).mtimeMs) stale.push(path);
      }
    }
  };
  walk('src');
  return stale;
}

/** A JavaScript (or JSON) module a test imports: linked, so that it loads from where it is (Node follows the link). */
function linkAsIs(root, out, path) {
  const target = join(out, relative(root, path));
  if (existsSync(target)) return;
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(path, target);
}

/** Relative specifiers of a module's static and dynamic imports. */
function relativeImports(code) {
  const out = [];
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.\.?\/[^"']*)\1/g)) out.push(m[2]);
  return out;
}

/** A file of this repository that the build copies: src/ comes from dist/ through the link. */
function inTree(rel) {
  return !rel.startsWith('..') && !rel.startsWith('src/') && !rel.startsWith('node_modules/');
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/**
 * Transpiles `files` (test/… .ts paths, relative to root) and every .ts they import, however
 * deep, into this run's directory; returns it (to remove when done, with removeBuild) and the
 * output path of each of `files`, in order. Directories of runs no longer alive are removed.
 */
export function buildTests(root, files) {
  if (existsSync(join(root, OUT))) {
    for (const name of readdirSync(join(root, OUT))) {
      if (!/^\d+$/.test(name) || !alive(Number(name))) rmSync(join(root, OUT, name), { recursive: true, force: true });
    }
  }
  const dir = join(OUT, String(process.pid));
  const out = join(root, dir);
  mkdirSync(out, { recursive: true });
  symlinkSync(join('..', '..', 'dist'), join(out, 'src'));
  const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
  const done = new Set();
  const todo = files.map((f) => resolve(root, f));
  while (todo.length > 0) {
    const source = todo.pop();
    if (done.has(source)) continue;
    done.add(source);
    const rel = relative(root, source);
    if (!inTree(rel)) continue;
    const url = pathToFileURL(source).href;
    const { code } = transformSync(readFileSync(source, 'utf8'), {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
      sourcefile: source,
      sourcemap: 'inline',
      tsconfigRaw: { compilerOptions: tsconfig.compilerOptions },
      define: {
        'import.meta.url': JSON.stringify(url),
        'import.meta.dirname': JSON.stringify(dirname(source)),
        'import.meta.filename': JSON.stringify(source),
      },
    });
    const target = join(out, rel).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
    for (const spec of relativeImports(code)) {
      const imported = resolve(dirname(source), spec);
      const ts = imported.replace(/\.js$/, '.ts');
      if (existsSync(ts)) todo.push(ts);
      else if (existsSync(imported) && inTree(relative(root, imported))) linkAsIs(root, out, imported);
    }
  }
  return { dir: out, outputs: files.map((f) => join(dir, f).replace(/\.ts$/, '.js')) };
}

export function removeBuild(dir) {
  rmSync(dir, { recursive: true, force: true });
}

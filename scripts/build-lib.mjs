// Bundles the runtime into lib/ after tsc has built dist/: one ES module graph per process or
// thread entry, in shared chunks. Loading 113 small modules cost mscope run 50 to 80 ms more CPU
// than the 33 files of the bundle (docs/benchmarks.md, mscope-startup).
// dist/ stays complete (types, and the unbundled modules that benchmarks import one by one).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
const LIB = join(ROOT, 'lib');

// Every module that a process or thread loads by URL or by package export; code reachable from
// two of them lands in a shared chunk, so each process holds one instance of every module.
const ENTRIES = [
  'index',
  'lang-entry',
  'export-entry',
  'cli/main',
  'agent/register',
  'agent/protocol',
  'agent/preload',
  'agent/start',
  'agent/ts-remote',
  'agent/remote-clauses',
  'consumer/standalone',
  'consumer/calibration-monitor',
  'attach/target',
  'attach/blocks-loader',
  'modules/loader-hooks',
  'export/store-worker',
  'weaver/control',
  'weaver/remote/message-host',
  'weaver/remote/shm-host',
];

// CommonJS entries stay as tsc wrote them; they require the ES entries above by relative path.
const COMMONJS = ['agent/register-require.cjs', 'attach/bootstrap.cjs'];

const PREFIX = '__MSCOPE_LIB_ROOT__/';

// In lib/ a module's import.meta.url is its bundle file's. Code finds its siblings (workers, the
// agent, the page, package.json) relative to where its source sits, so each file's
// import.meta.url becomes the URL that file has in lib/'s mirror of src/, which has dist/'s depth.
const originalUrl = {
  name: 'original-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      // These would name the chunk a module lands in, not the module (a package name resolves the same).
      const other = /(?<![\w$'"`.])import\.meta\.(dirname|filename|resolve\(\s*['"`]\.)/.exec(source);
      if (other !== null) {
        const what = other[1].startsWith('resolve') ? 'import.meta.resolve of a relative path' : `import.meta.${other[1]}`;
        return { errors: [{ text: `${what} in a bundled module: use import.meta.url` }] };
      }
      const own = relative(SRC, args.path).split(sep).join('/').replace(/\.ts$/, '.js');
      const contents = source.replace(
        /(?<![\w$'"`.])import\.meta\.url(?![\w$'"`])/g,
        `new URL(${JSON.stringify(PREFIX + own)}, import.meta.url).href`,
      );
      return { contents, loader: 'ts' };
    });
  },
};

rmSync(LIB, { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: ENTRIES.map((e) => ({ in: join(SRC, `${e}.ts`), out: e })),
  outdir: LIB,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  sourcesContent: false,
  write: false,
  metafile: true,
  logLevel: 'warning',
  plugins: [originalUrl],
});

for (const file of result.outputFiles) {
  let text = file.text;
  if (file.path.endsWith('.js')) {
    const toRoot = relative(dirname(file.path), LIB).split(sep).join('/');
    text = text.replaceAll(PREFIX, toRoot === '' ? './' : `${toRoot}/`);
  }
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, text);
}
// Which sources each file of lib/ holds: tests judge what a process loaded by it.
writeFileSync(join(LIB, 'metafile.json'), JSON.stringify(result.metafile));
for (const cjs of COMMONJS) {
  cpSync(join(DIST, cjs), join(LIB, cjs));
  // Each module a CommonJS entry requires by relative path must be an entry above.
  const text = readFileSync(join(LIB, cjs), 'utf8');
  for (const [, spec] of text.matchAll(/require\(["'](\.{1,2}\/[^"']+)["']\)/g)) {
    if (!existsSync(join(LIB, dirname(cjs), spec))) throw new Error(`lib/${cjs} requires ${spec}, which is not in ENTRIES`);
  }
}
for (const out of [DIST, LIB]) cpSync(join(SRC, 'ui', 'page'), join(out, 'ui', 'page'), { recursive: true });
// The page's ECharts: only what it draws with (scripts/echarts-page.mjs), served beside it.
const echarts = await esbuild.build({
  entryPoints: [join(ROOT, 'scripts', 'echarts-page.mjs')],
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  // ECharts' licence header, which minifying drops.
  banner: { js: readFileSync(join(ROOT, 'node_modules', 'echarts', 'dist', 'echarts.min.js'), 'utf8').match(/^\s*\/\*[\s\S]*?\*\//)[0] },
  write: false,
  logLevel: 'warning',
});
for (const out of [DIST, LIB]) writeFileSync(join(out, 'ui', 'page', 'echarts.js'), echarts.outputFiles[0].contents);

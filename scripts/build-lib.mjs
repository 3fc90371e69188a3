// Bundles the runtime into lib/ after tsc has built dist/: one ES module graph for every process
// and thread, in shared chunks, so that each holds one instance of every module (a traced
// program that imports microscope shares the agent's registry). Each file a process loads costs
// it about 1 ms (resolve, read, compile, link), so the chunks follow PROFILES, what each kind of
// process or thread loads at once (planChunks): a traced process with a probe clause loads 28
// files instead of 53, one whose monitors run in mscope 8 instead of 18.
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
  'agent/agent-env',
  'agent/launch',
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

// What each kind of process or thread loads at once: its entries and the `import()`s it always
// takes. Modules that the same profiles load share one chunk (planChunks below). A module that a
// process loads later, at a request or for one monitor kind, belongs to a profile of its own.
const UNDER_MSCOPE = ['agent/register', 'agent/launch'];
const LINKING = ['agent/start', 'attach/blocks-loader', 'agent/linking', 'agent/instrumentation'];
const PROFILES = {
  'the standalone preload': ['agent/register', 'weaver/control'],
  'the standalone preload, at a control request': ['agent/register', 'weaver/control', 'weaver/link'],
  'the standalone preload with a program': ['agent/register', 'weaver/control', 'modules/install', 'consumer/standalone'],
  'the --require preload': ['agent/protocol', 'agent/preload', 'weaver/control'],
  'the --require preload under mscope': ['agent/protocol', 'agent/preload', 'agent/agent-env', 'agent/launch', 'attach/blocks-loader'],
  'a traced process whose monitors run in mscope': [...UNDER_MSCOPE, 'agent/consumer-only'],
  'a traced process with a D probe clause': [...UNDER_MSCOPE, ...LINKING, 'agent/script-monitor'],
  'a traced process with a TypeScript monitor': [...UNDER_MSCOPE, ...LINKING, 'agent/ts-monitor'],
  'a traced process with accounting': [...UNDER_MSCOPE, ...LINKING, 'agent/acct-monitor'],
  'an attached process': ['attach/target', 'agent/start', 'attach/blocks-loader', 'agent/linking', 'agent/script-monitor'],
  'a D clause compiled in a traced process': ['lang/script-spec'],
  'a shm host thread of D clauses': ['agent/register', 'weaver/remote/shm-host', 'agent/remote-clauses'],
  'a shm host thread of a TypeScript monitor': ['agent/register', 'weaver/remote/shm-host', 'agent/ts-remote'],
  'a message host of D clauses': ['agent/register', 'weaver/remote/message-host', 'agent/remote-clauses'],
  'a message host of a TypeScript monitor': ['agent/register', 'weaver/remote/message-host', 'agent/ts-remote'],
  "Node 20's module hooks thread": ['modules/loader-hooks'],
  'a program that imports microscope': ['index'],
  'a program that imports microscope/lang': ['lang-entry'],
  'a program that imports microscope/export': ['export-entry'],
  'mscope, before its command': ['cli/main'],
  'mscope run, until it starts CMD': ['cli/main', 'cli/commands/run-start'],
  'mscope run': ['cli/main', 'cli/commands/run-start', 'cli/commands/run'],
  'mscope run, a program that names probes': [
    'cli/main',
    'cli/commands/run-start',
    'cli/commands/run',
    'cli/script/matched',
    'providers/index',
    'modules/core-modules',
  ],
  'the store writer thread': ['export/store-worker'],
  'a calibration monitor': ['consumer/calibration-monitor'],
};

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

const ROOT_NAMESPACE = 'mscope-root';
const sourceOf = (path) => relative(ROOT, path).split(sep).join('/');

/**
 * Each root (an entry or an `import()` target) is built from a small module of its own that
 * re-exports the root's module and then imports the modules `injected` lists for it. Nothing
 * imports that module, so its imports never make a cycle; the root's own module stays where it
 * was, for the modules that import it statically.
 */
const rootModules = (injected) => ({
  name: 'root-modules',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.namespace === ROOT_NAMESPACE || (args.kind !== 'entry-point' && args.kind !== 'dynamic-import')) return undefined;
      const resolved = await build.resolve(args.path, { kind: 'import-statement', importer: args.importer, resolveDir: args.resolveDir });
      if (resolved.errors.length > 0 || resolved.external || !resolved.path.startsWith(SRC)) return resolved;
      return { path: resolved.path, namespace: ROOT_NAMESPACE };
    });
    build.onLoad({ filter: /.*/, namespace: ROOT_NAMESPACE }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const lines = [`export * from ${JSON.stringify(args.path)};`];
      if (/^export default\b/m.test(source)) lines.push(`export { default } from ${JSON.stringify(args.path)};`);
      for (const file of injected.get(sourceOf(args.path)) ?? []) lines.push(`import ${JSON.stringify(join(ROOT, file))};`);
      return { contents: lines.join('\n'), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
});

const options = {
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
};

/** The sources each source imports statically, and the roots (entries and `import()` targets) by source. */
function importGraph(metafile) {
  const imports = new Map();
  const roots = new Set();
  for (const [key, input] of Object.entries(metafile.inputs)) {
    if (key.startsWith(`${ROOT_NAMESPACE}:`)) {
      roots.add(sourceOf(key.slice(ROOT_NAMESPACE.length + 1)));
      continue;
    }
    imports.set(
      key,
      new Set(input.imports.filter((i) => metafile.inputs[i.path] !== undefined && i.kind !== 'dynamic-import').map((i) => i.path)),
    );
  }
  return { imports, roots };
}

function closure(imports, from) {
  const seen = new Set();
  const stack = [...from];
  while (stack.length > 0) {
    const file = stack.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...imports.get(file));
  }
  return seen;
}

/**
 * A group this small is not worth a file of its own: it joins a group that every profile loading
 * it loads too, when what it imports is in that group or loaded with it. The profiles that did
 * not need it then load its few bytes, and one file fewer.
 */
const SMALL_GROUP_BYTES = 6000;

const folder = (source) => source.split('/')[1];
// The agent's own folders; a subsystem's small group (the compiler's, the providers', the rewrite's)
// joins only a group of its own folder, so that a process loads no subsystem it does not use.
const ANY_GROUP = new Set(['core', 'weaver', 'agent', 'attach']);

function mergeSmallGroups(groups, imports, metafile) {
  const profiles = (key) => new Set(key.split('\n'));
  const bytes = (group) => group.reduce((n, f) => n + metafile.inputs[f].bytes, 0);
  for (let merged = true; merged;) {
    merged = false;
    const groupOf = new Map([...groups].flatMap(([key, group]) => group.map((f) => [f, key])));
    // The groups most processes load first: merged into one of the groups they all load before a
    // smaller group joins them and makes them too large to move.
    const bySpread = [...groups].sort(([a], [b]) => profiles(b).size - profiles(a).size);
    for (const [key, group] of bySpread) {
      if (bytes(group) >= SMALL_GROUP_BYTES) continue;
      const own = profiles(key);
      let best = null;
      for (const [other, into] of groups) {
        const theirs = profiles(other);
        if (other === key || ![...own].every((p) => theirs.has(p))) continue;
        if (!group.every((f) => ANY_GROUP.has(folder(f)) || into.some((g) => folder(g) === folder(f)))) continue;
        // What the group imports must be loaded by every profile that would load it now.
        const loaded = group.every((f) =>
          [...imports.get(f)].every(
            (d) => groupOf.get(d) === key || groupOf.get(d) === other || [...theirs].every((p) => profiles(groupOf.get(d) ?? '').has(p)),
          ),
        );
        if (
          loaded &&
          (best === null ||
            theirs.size < profiles(best).size ||
            (theirs.size === profiles(best).size && bytes(into) > bytes(groups.get(best))))
        )
          best = other;
      }
      if (best === null) continue;
      groups.set(best, [...groups.get(best), ...group]);
      groups.delete(key);
      merged = true;
      break;
    }
  }
}

/**
 * esbuild puts together the modules that the same roots (entries and `import()` targets) reach:
 * with 19 entries and 29 other roots, a traced process with a probe clause loaded 53 files of
 * lib/, and each file costs a process about 1 ms to resolve, read, compile and link. Here the
 * modules that the same PROFILES load form a group, and each root that reaches part of a group
 * imports the rest of it, so that the group lands in one chunk. A profile that loads a root
 * loads every group the root touches anyway: the processes a profile describes load the same
 * code as before (and small groups, mergeSmallGroups), in fewer files; a root of no profile
 * (mscope's rarer commands) may load more.
 */
async function planChunks() {
  const { metafile } = await esbuild.build({ ...options, plugins: [rootModules(new Map()), originalUrl] });
  const { imports, roots } = importGraph(metafile);
  const profilesOf = new Map();
  for (const [name, members] of Object.entries(PROFILES))
    for (const root of members) {
      if (!roots.has(`src/${root}.ts`)) throw new Error(`profile "${name}": ${root} is neither an entry nor an import() target`);
      for (const file of closure(imports, [`src/${root}.ts`])) profilesOf.set(file, new Set([...(profilesOf.get(file) ?? []), name]));
    }
  // An entry that no module imports starts a process or thread (mscope, the agent, a host that
  // listens on its port at once): it runs where it is loaded by its URL, never because a root imports it.
  const imported = new Set([...imports.values()].flatMap((i) => [...i]));
  for (const entry of ENTRIES) if (!imported.has(`src/${entry}.ts`)) profilesOf.delete(`src/${entry}.ts`);
  const groups = new Map();
  for (const [file, names] of profilesOf) {
    const key = [...names].sort().join('\n');
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
  mergeSmallGroups(groups, imports, metafile);
  const injected = new Map();
  for (const root of roots) {
    const added = [];
    for (let more = true; more;) {
      more = false;
      const reached = closure(imports, [root, ...added]);
      for (const group of groups.values())
        if (group.some((f) => reached.has(f)))
          for (const file of group)
            if (!reached.has(file)) {
              added.push(file);
              more = true;
            }
    }
    if (added.length > 0) injected.set(root, added);
  }
  return injected;
}

rmSync(LIB, { recursive: true, force: true });
const result = await esbuild.build({ ...options, plugins: [rootModules(await planChunks()), originalUrl] });

for (const file of result.outputFiles) {
  let text = file.text;
  if (file.path.endsWith('.js')) {
    const toRoot = relative(dirname(file.path), LIB).split(sep).join('/');
    text = text.replaceAll(PREFIX, toRoot === '' ? './' : `${toRoot}/`);
  }
  // esbuild writes strings ASCII-escaped but keeps a class member's doc comment as written: one
  // character past ASCII there makes V8 hold the whole file's source as a two-byte string.
  const wide = file.path.endsWith('.js') ? /^.*[^\x00-\x7f].*$/m.exec(text) : null;
  if (wide !== null) throw new Error(`${relative(ROOT, file.path)}: a character past ASCII (in a comment of src/?): ${wide[0].trim()}`);
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(file.path, text);
}
// Which sources each file of lib/ holds: tests judge what a process loaded by it.
// The roots' own small modules hold nothing of src/.
const metafile = structuredClone(result.metafile);
for (const key of Object.keys(metafile.inputs)) if (key.startsWith(`${ROOT_NAMESPACE}:`)) delete metafile.inputs[key];
for (const output of Object.values(metafile.outputs))
  for (const key of Object.keys(output.inputs)) if (key.startsWith(`${ROOT_NAMESPACE}:`)) delete output.inputs[key];
writeFileSync(join(LIB, 'metafile.json'), JSON.stringify(metafile));
for (const cjs of COMMONJS) {
  cpSync(join(DIST, cjs), join(LIB, cjs));
  // Each module a CommonJS entry requires by relative path must be an entry above.
  const text = readFileSync(join(LIB, cjs), 'utf8');
  for (const [, spec] of text.matchAll(/require\(["'](\.{1,2}\/[^"']+)["']\)/g)) {
    if (!existsSync(join(LIB, dirname(cjs), spec))) throw new Error(`lib/${cjs} requires ${spec}, which is not in ENTRIES`);
  }
}
// The light preload (agent/register-light.ts) is one CommonJS file with all it imports: loaded by
// --require, it starts no ES module loader. It must hold no module that keeps state for others
// (the registry, the weaver): a process that loads it may import microscope's ES modules too.
const light = await esbuild.build({
  entryPoints: [join(SRC, 'agent', 'register-light.ts')],
  outfile: join(LIB, 'agent', 'register-light.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'silent',
});
if (light.warnings.length > 0) throw new Error(`lib/agent/register-light.cjs: ${light.warnings.map((w) => w.text).join('; ')}`);
const LIGHT_ALLOWED = /^src\/(agent|core\/(errors|threads|consumer-env|process-alive|process-listeners))\b/;
for (const input of Object.keys(light.metafile.inputs))
  if (!LIGHT_ALLOWED.test(input) || /\/(start|linking|loaders)\.ts$/.test(input))
    throw new Error(`lib/agent/register-light.cjs would hold ${input}: keep the light preload to reporting`);
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

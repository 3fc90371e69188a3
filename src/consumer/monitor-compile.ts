import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BuildFailure, Message, Plugin } from 'esbuild';
import { TS_FILE, checkMonitorFile, monitorError } from '../agent/monitor-file.js';
import { writeSessionFile } from './session.js';

/** What each bundled file's `import.meta.*` becomes: its own original path, not the compiled copy's. */
const IMPORT_META = /(?<![\w$'"`.])import\.meta\.(url|filename|dirname)(?![\w$'"`])/g;

/**
 * esbuild is a dependency of tsx, and so installed with microScope (its own is a devDependency,
 * for the build): required from tsx's directory, it is found however the packages were laid out.
 */
const requireAsTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));

/** `microscope` and its subpaths: a monitor that does not find them finds mscope's own, its agent's copy. */
const OWN_PACKAGE = /^microscope(\/|$)/;

/** Marks the resolve a plugin asks esbuild for, so that it does not come back to the plugin. */
const RESOLVING = Symbol('resolving');

/**
 * Compiles a TypeScript `--monitor` file once, in mscope, into plain ES module JavaScript in
 * the session directory `dir` (private to mscope's user), and returns the path agents import:
 * traced processes and their workers then load no tsx, no esbuild and no hooks thread
 * (issue 10: 45 MB of resident memory on Node 20). A JavaScript file is returned as is.
 *
 * The monitor's relative imports are bundled; a package import is left to the traced process
 * as the absolute URL it resolves to from the monitor's directory, so the process loads the
 * copy it would have loaded anyway (one `microscope`, one module state). Each bundled file's
 * `import.meta.url`, `.filename` and `.dirname` name its original file, and the inline source
 * map points stacks at it.
 */
export async function compileMonitorFile(path: string, name: string, dir: string, index: number): Promise<string> {
  if (!TS_FILE.test(path)) return path;
  checkMonitorFile(path, name);
  const esbuild = requireAsTsx('esbuild') as typeof import('esbuild');
  const file = join(dir, `monitor-${index}.mjs`);
  let code: string;
  try {
    const result = await esbuild.build({
      entryPoints: [path],
      // Not written by esbuild, but where the source map's relative paths start from.
      outfile: file,
      absWorkingDir: dirname(path),
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // Without `module`, esbuild resolves packages with the conditions Node's import uses.
      conditions: [],
      // esbuild's require() in an ES module calls `require` if there is one: a monitor written for
      // CommonJS (tsx ran it as such) still can. esbuild renames a `require` of the monitor's own.
      banner: {
        js: `import { createRequire as __mscopeCreateRequire } from 'node:module';\nconst require = __mscopeCreateRequire(${JSON.stringify(pathToFileURL(path).href)});`,
      },
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      plugins: [packagesAsInstalled, ownImportMeta],
    });
    code = result.outputFiles[0]!.text;
  } catch (error) {
    throw monitorError(name, describeBuildError(error, dirname(path)), error);
  }
  writeSessionFile(file, code);
  return file;
}

/** Package imports stay imports, of the file Node would load from the importing file's directory. */
const packagesAsInstalled: Plugin = {
  name: 'mscope-packages-as-installed',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === RESOLVING) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      const r = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: RESOLVING,
      });
      let path = r.path;
      if (r.errors.length > 0) {
        // A monitor outside any project that installed microscope (mscope run from a global install).
        if (!OWN_PACKAGE.test(args.path)) return { errors: r.errors };
        try {
          path = fileURLToPath(import.meta.resolve(args.path));
        } catch {
          return { errors: r.errors };
        }
      }
      // tsconfig's paths may name the monitor's own TypeScript: bundled, as a relative import is.
      if (TS_FILE.test(path)) return { path };
      // require() takes a path, import a URL.
      const required = args.kind === 'require-call' || args.kind === 'require-resolve';
      return { path: required ? path : pathToFileURL(path).href, external: true };
    });
  },
};

/** A bundled file's `import.meta.*` would name the compiled file in the session directory. */
const ownImportMeta: Plugin = {
  name: 'mscope-own-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const source = await readFile(args.path, 'utf8');
      const meta = { url: pathToFileURL(args.path).href, filename: args.path, dirname: dirname(args.path) };
      const contents = source.replace(IMPORT_META, (_all, key: keyof typeof meta) => JSON.stringify(meta[key]));
      return { contents, loader: loaderFor(args.path) };
    });
  },
};

function loaderFor(path: string): 'ts' | 'tsx' | 'js' | 'jsx' {
  const ext = /\.[cm]?([jt]sx?)$/.exec(path)?.[1];
  return ext === 'tsx' || ext === 'jsx' || ext === 'js' ? ext : 'ts';
}

/** One line, located as `file:line:column: text` at the first error esbuild reports. */
function describeBuildError(error: unknown, cwd: string): string {
  const errors = (error as Partial<BuildFailure>).errors;
  const first: Message | undefined = errors?.[0];
  if (first === undefined) return error instanceof Error ? error.message.split('\n')[0]! : String(error);
  const at = first.location;
  return at === null ? first.text : `${resolve(cwd, at.file)}:${at.line}:${at.column + 1}: ${first.text}`;
}

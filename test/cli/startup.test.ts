import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FIXTURES, ROOT, spawnMscope, collect, type Result } from './mscope.js';
import { INSPECT_ANY_PORT, attach, startApp } from '../attach/harness.js';

const DIR = join(FIXTURES, 'loads');
const HOOK = pathToFileURL(join(DIR, 'log-loads.mjs')).href;

// lib/ is a bundle: a loaded file of lib/ stands for the sources it holds, as the build's metafile says.
const LIB = pathToFileURL(join(ROOT, 'lib')).href + '/';
const META = JSON.parse(readFileSync(join(ROOT, 'lib', 'metafile.json'), 'utf8')) as {
  outputs: Record<string, { inputs: Record<string, unknown>; imports: Array<{ path: string; kind: string }> }>;
};

/** The sources (src/…) that a loaded URL of lib/ holds; any other URL as it is. */
function sources(url: string): string[] {
  if (!url.startsWith(LIB)) return [url];
  const output = META.outputs[`lib/${url.slice(LIB.length)}`];
  return output === undefined ? [url] : Object.keys(output.inputs).map((s) => `/${s.replace(/\.ts$/, '.js')}`);
}

/**
 * Runs mscope with every process logging the modules it loads; returns the sources of mscope's
 * and of the others', and how many files of lib/ the others loaded.
 */
async function loads(args: readonly string[]): Promise<{ r: Result; own: string[]; traced: string[]; tracedFiles: number }> {
  const tmp = mkdtempSync(join(tmpdir(), 'mscope-loads-'));
  const file = join(tmp, 'loads.txt');
  try {
    const child = spawnMscope(args, DIR, { NODE_OPTIONS: `--import=${HOOK}`, MSCOPE_TEST_LOADS: file });
    const r = await collect(child);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const of = (mine: boolean): string[] =>
      lines.filter((l) => l.startsWith(`${child.pid} `) === mine).flatMap((l) => sources(l.slice(l.indexOf(' ') + 1)));
    const files = new Set(
      lines.filter((l) => !l.startsWith(`${child.pid} `) && l.includes(` ${LIB}`)).map((l) => l.slice(l.indexOf(' ') + 1)),
    );
    return { r, own: of(true), traced: of(false), tracedFiles: files.size };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const under = (urls: readonly string[], part: string): string[] => urls.filter((u) => u.includes(part));

test('mscope --version loads no command, compiler or exporter', async () => {
  const { r, own } = await loads(['--version']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^mscope \d/);
  assert.ok(under(own, '/src/cli/main.js').length > 0, 'the hook saw mscope');
  assert.deepEqual(under(own, '/src/cli/commands/'), []);
  assert.deepEqual(
    under(own, '/src/lang/').filter((u) => !u.endsWith('/suggest.js')),
    [],
  );
  assert.deepEqual(under(own, 'node_modules'), []);
});

test('a program that runs in mscope alone: no exporter in mscope, no compiler or provider in the traced process', async () => {
  const { r, own, traced, tracedFiles } = await loads(['run', '-q', '-e', 'END { printf("end\\n"); }', '--', process.execPath, 'main.js']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'main ran\nend\n');
  assert.ok(under(own, '/src/cli/commands/run.js').length > 0);
  assert.deepEqual(under(own, 'prom-client'), []);
  assert.deepEqual(
    under(own, '/src/export/').filter((u) => !u.endsWith('/otlp.js')),
    [],
  );
  assert.ok(under(traced, '/src/agent/consumer-only.js').length > 0, 'the hook saw the traced process');
  for (const folder of ['lang', 'providers', 'modules', 'accounting', 'export']) assert.deepEqual(under(traced, `/src/${folder}/`), []);
  // An agent that links nothing reports to mscope and no more: no registry, no weaver.
  for (const linking of ['/src/agent/start.js', '/src/core/registry.js', '/src/weaver/link.js'])
    assert.deepEqual(under(traced, linking), []);
  // Nothing to link: neither the weaver's bindings nor the core modules only linking uses in the
  // traced process (core's index itself shares a file of lib/ with the registry: a file costs more than its 2 KB).
  assert.deepEqual(under(traced, '/src/weaver/index.js'), []);
  for (const linkingOnly of ['record', 'source-map', 'inspector-post']) assert.deepEqual(under(traced, `/src/core/${linkingOnly}.js`), []);
  // No link for `mscope links` or `relink` to act on: no control socket, no node:net.
  assert.deepEqual(under(traced, '/src/weaver/control.js'), []);
  // Each file costs a process about 1 ms to load: the build groups what a process loads at once (6 files in 2026-12).
  assert.ok(tracedFiles <= 6, `the traced process loaded ${tracedFiles} files of lib/ (PROFILES in scripts/build-lib.mjs)`);
  // A program that names no probe: mscope registers no provider to judge its descriptions against.
  assert.deepEqual(under(own, '/src/providers/index.js'), []);
});

test('a probe clause loads the runtime, not the compiler, and the providers in the traced process, and the rewrite for fn', async () => {
  const { r, traced, tracedFiles } = await loads([
    'run',
    '-q',
    '-e',
    'fn::main:entry { @n = count(); } END { printa("%@d\\n", @n); }',
    '--',
    process.execPath,
    'main.js',
  ]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'main ran\n1\n');
  assert.ok(under(traced, '/src/lang/runtime/instance.js').length > 0);
  for (const pass of ['parser', 'check', 'compile']) assert.deepEqual(under(traced, `/src/lang/${pass}.js`), []);
  assert.ok(under(traced, '/src/providers/index.js').length > 0);
  assert.ok(under(traced, '/src/modules/transform.js').length > 0);
  assert.ok(under(traced, '/src/weaver/control.js').length > 0, 'a process with links serves the control socket');
  assert.deepEqual(under(traced, '/src/export/'), []);
  // 23 before an attached process got a profile of its own (no load-time rewrite), whose groups split five;
  // 28 before the agent that links nothing got one (it loads 6 files, 8 before), which split three more.
  assert.ok(tracedFiles <= 31, `the traced process loaded ${tracedFiles} files of lib/ (31 in 2026-12; PROFILES in scripts/build-lib.mjs)`);
});

test('a traced process whose providers stay disabled loads none of the built-ins only they use (node:dns, node:inspector, node:v8)', async () => {
  const child = spawnMscope(
    ['run', '-q', '-e', 'fn::main:entry { @n = count(); } END { printa("%@d\\n", @n); }', '--', process.execPath, 'builtins.js'],
    DIR,
  );
  const r = await collect(child);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'none\n1\n');
});

test('an exporter loads only for the run that asks for it, after its flags were checked', async () => {
  const bad = await loads(['run', '--prom', 'eighty', '--', process.execPath, 'main.js']);
  assert.equal(bad.r.status, 2);
  assert.equal(bad.r.stderr, 'mscope run: --prom expects a port number, got "eighty"\n');
  // CMD, being Node, was started at once and held by its agent; killed at the refusal, it ran none of its program.
  assert.equal(bad.r.stdout, '', "CMD's program never ran");
  assert.deepEqual(under(bad.traced, '/src/export/'), []);
  const { r, own } = await loads(['run', '-q', '--store', 'none', '--prom', '0', '--', process.execPath, 'main.js']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(under(own, '/src/export/prometheus.js').length > 0);
});

test("a traced program that imports microscope shares the agent's modules: each source of lib/ is loaded once", async () => {
  const { r, traced } = await loads([
    'run',
    '-q',
    '-e',
    'usdt:loads::tick { @n = count(); } END { printa("%@d\\n", @n); }',
    '--',
    process.execPath,
    'usdt.mjs',
  ]);
  assert.equal(r.status, 0, r.stderr);
  // The program's probe is the one the agent linked.
  assert.equal(r.stdout, 'usdt ran\n3\n');
  assert.ok(under(traced, '/src/index.js').length > 0, 'the program loaded lib/index.js');
  // Every file of lib/ it loaded is of the build's one graph, and holds sources no other loaded file holds.
  assert.deepEqual(
    traced.filter((s) => s.startsWith(LIB)),
    [],
    'files of lib/ that the build did not make',
  );
  const held = traced.filter((s) => s.startsWith('/src/'));
  assert.deepEqual(
    held.filter((s, i) => held.indexOf(s) !== i),
    [],
    'sources that two files of lib/ hold',
  );
});

/** The sources of lib/FILE's static imports, followed through: what loads in one walk of the ESM loader when FILE is imported. */
function staticSources(file: string): string[] {
  const seen = new Set<string>();
  const walk = (out: string): void => {
    if (seen.has(out)) return;
    seen.add(out);
    for (const i of META.outputs[out]?.imports ?? []) if (i.kind === 'import-statement' && i.path.startsWith('lib/')) walk(i.path);
  };
  walk(file);
  return [...seen].flatMap((o) => Object.keys(META.outputs[o]?.inputs ?? {}));
}

test('what an attached agent links a D program with is in attach/target.js graph: one round of module reads in the process', () => {
  const graph = staticSources('lib/attach/target.js');
  for (const src of [
    'src/attach/splicer.ts',
    'src/agent/start.ts',
    'src/providers/index.ts',
    'src/agent/script-monitor.ts',
    'src/lang/runtime/instance.ts',
  ])
    assert.ok(graph.includes(src), src);
  for (const src of ['src/lang/parser.ts', 'src/lang/compile.ts', 'src/modules/install.ts', 'src/modules/hooks.ts'])
    assert.ok(!graph.includes(src), src);
});

test('an attached process loads the runtime, not the compiler, nor the load-time rewrite it never installs', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'mscope-loads-'));
  const file = join(tmp, 'loads.txt');
  const app = await startApp([INSPECT_ANY_PORT, '--import', HOOK, 'server.cjs'], { env: { ...process.env, MSCOPE_TEST_LOADS: file } });
  try {
    const a = attach(['attach', String(app.pid), '-q', '-e', 'fn::answer:entry { @n = count(); } END { printa("%@d\\n", @n); }']);
    await a.attached;
    await app.get('/one');
    const r = await a.detach();
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '1\n');
    const traced = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .filter((l) => l.startsWith(`${app.pid} `))
      .flatMap((l) => sources(l.slice(l.indexOf(' ') + 1)));
    assert.ok(under(traced, '/src/attach/splicer.js').length > 0, 'the hook saw the agent');
    assert.ok(under(traced, '/src/lang/runtime/instance.js').length > 0);
    for (const pass of ['parser', 'check', 'compile']) assert.deepEqual(under(traced, `/src/lang/${pass}.js`), []);
    for (const rewrite of ['install', 'hooks', 'cache']) assert.deepEqual(under(traced, `/src/modules/${rewrite}.js`), []);
  } finally {
    app.child.kill();
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('mscope run starts CMD from code that holds neither the compiler nor the run command', () => {
  // run-start.ts is the light module that spawns a held CMD; what its lib/ file imports statically is loaded before the spawn.
  const start = Object.keys(META.outputs).find((o) => o.endsWith('.js') && 'src/cli/commands/run-start.ts' in META.outputs[o]!.inputs);
  assert.ok(start !== undefined, 'no lib/ file holds run-start.ts');
  const loaded = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (loaded.has(file)) continue;
    loaded.add(file);
    for (const i of META.outputs[file]!.imports)
      if (i.kind === 'import-statement' && META.outputs[i.path] !== undefined) stack.push(i.path);
  }
  const before = [...loaded].flatMap((o) => Object.keys(META.outputs[o]!.inputs));
  for (const later of ['src/cli/commands/run.ts', 'src/lang/parser.ts', 'src/lang/compile.ts', 'src/consumer/trace.ts'])
    assert.ok(!before.includes(later), `${later} is loaded before CMD starts`);
});

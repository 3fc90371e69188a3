import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

/**
 * The package as a user gets it: `npm pack` of the built tree, installed into a fresh project
 * outside the repository from npm's cache (which `npm ci` filled), then run through `npx`.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const run = promisify(execFile);
const OFFLINE = ['--prefer-offline', '--no-audit', '--no-fund'];

let dir: string;
let project: string;
let files: string[];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mscope-pack-'));
  // dist is already built (npm test builds first); the prepare script would only build it again.
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT });
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  files = info!.files.map((f) => f.path);
  project = join(dir, 'app');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  await run('npm', ['install', join(dir, info!.filename), ...OFFLINE], { cwd: project });
});

after(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

test('the tarball ships the CLI, the built code, the README, the licence and the demo, and no tests, sources or maps', () => {
  const needed = ['package.json', 'README.md', 'LICENSE', 'bin/mscope.js', 'lib/cli/main.js', 'dist/index.d.ts', 'examples/demo/demo.d'];
  // The Latency Explorer's page is copied into lib by the build: mscope explore serves it from there.
  for (const f of [
    ...needed,
    'lib/agent/register.js',
    'lib/agent/register-require.cjs',
    // The light preload that mscope puts in NODE_OPTIONS of a session that links nothing.
    'lib/agent/register-light.cjs',
    'lib/ui/page/index.html',
    'lib/ui/page/explorer.js',
    'lib/ui/page/echarts.js',
  ]) {
    assert.ok(files.includes(f), `${f} is missing from the ${files.length} files packed`);
  }
  // lib/ is the code that runs; dist/ only lends its type declarations.
  const unwanted = files.filter((f) => /^(test|src|scripts|bench|\.ci)\/|\.map$|\.test\.|^dist\/.*\.c?js$|metafile/.test(f));
  assert.deepEqual(unwanted, []);
});

test('npx mscope --version prints the installed version', async () => {
  // After `--`: npx would take --version as its own flag.
  const r = await run('npx', ['--no', '--', 'mscope', '--version'], { cwd: project });
  assert.equal(r.stdout, `mscope ${VERSION}\n`);
});

test('npx mscope demo traces the order service from the installed package', async () => {
  const r = await run('npx', ['--no', 'mscope', 'demo'], { cwd: project });
  assert.match(r.stdout, /^order service: 15 orders placed, 9 failed/m);
  assert.match(r.stdout, /^\s+lib\/orders\.js\s+OrderService\.placeOrder\s+24$/m);
  assert.equal(r.stderr, '');
});

test('node --import and --require microscope/register preload the installed agent', async () => {
  writeFileSync(join(project, 'app.js'), "console.log('app ran');\n");
  const env = { ...process.env, MSCOPE_PROGRAM: '#pragma D option quiet\nBEGIN { printf("traced\\n"); exit(0); }' };
  for (const preload of ['--import', '--require']) {
    const r = await run(process.execPath, [preload, 'microscope/register', 'app.js'], { cwd: project, env });
    assert.equal(r.stdout, 'app ran\n');
    assert.equal(r.stderr, 'traced\n');
  }
});

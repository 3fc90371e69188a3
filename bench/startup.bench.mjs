// Startup of a program that loads a few hundred modules, with and without the agent.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProgram, MODULE_COUNT } from './lib/generate-program.mjs';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
// The bundle users run (lib/), not tsc's module-per-file build.
const register = fileURLToPath(new URL('../lib/agent/register.js', import.meta.url));
const standIn = join(dist, 'index.js');

export const title = `startup of a program that loads ${MODULE_COUNT} modules`;
export const description = `
Each sample is the wall time of one \`node main.mjs\` run of a generated program (50 ESM and
50 CommonJS application files, 10 packages of 20 CommonJS files; 5 functions and a class
each). \`agent\`: \`node --import lib/agent/register.js\` with the environment \`mscope run
-e 'fn::nothing:entry {}'\` gives it (a session directory, the program's root, that D program
compiled by mscope and shipped), so every application file and direct dependency is
instrumented. \`cold\`: the agent's transform cache
(\`MSCOPE_CACHE_DIR\`) is emptied before every run; \`warm\`: it was filled by one earlier
run. The operating system's file cache is warm in both.
`;
export const unit = 'ms';
export const rounds = 20;
export const isolate = false;

let work = null;
let primed = null;

export function cases() {
  return [
    { name: 'warm', title: 'warm agent cache', baseline: 'no agent', variants: ['no agent', 'agent'] },
    { name: 'cold', title: 'cold agent cache', baseline: 'no agent', variants: ['no agent', 'agent'] },
  ];
}

export function notes() {
  const n = [];
  if (!existsSync(register)) n.push('lib/agent/register.js is missing: `agent` is a stand-in that only preloads dist/index.js');
  if (primed !== null) n.push(`the agent's cache held ${primed} transformed files after one run`);
  if (!existsSync(join(dist, 'modules/install.js')))
    n.push('dist/modules/install.js is missing: the agent does not instrument anything yet');
  return n;
}

export async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'mscope-bench-startup-'));
  work = {
    dir,
    main: generateProgram(join(dir, 'program')),
    session: join(dir, 'session'),
    monitors: join(dir, 'monitors.json'),
    caches: { warm: join(dir, 'cache-warm'), cold: join(dir, 'cache-cold') },
  };
  // What `mscope run` hands the agent for this program (src/agent/protocol.ts, lang/script-spec.ts).
  const script = { sources: [{ file: '-e', text: 'fn::nothing:entry {}' }], settings: [], quiet: true, format: 'text' };
  const [{ compileScript, encodeScript }, { shipProgram }] = await Promise.all([
    import('../dist/lang/script-spec.js'),
    import('../dist/lang/shipped.js'),
  ]);
  const spec = encodeScript({ ...script, compiled: shipProgram(compileScript(script)) });
  writeFileSync(work.monitors, JSON.stringify([{ kind: 'd', name: 'script', spec }]));
  run('warm', 'agent');
  // Entries only: the cache also holds the program's pack (src/modules/cache-pack.ts) and V8's v8/.
  primed = existsSync(work.caches.warm) ? readdirSync(work.caches.warm).filter((f) => f.endsWith('.js')).length : 0;
}

export async function teardown() {
  if (work !== null) rmSync(work.dir, { recursive: true, force: true });
  work = null;
}

export async function sample(caseName, variant) {
  if (caseName === 'cold') rmSync(work.caches.cold, { recursive: true, force: true });
  return run(caseName, variant);
}

function run(caseName, variant) {
  const agent = variant === 'agent';
  const preload = existsSync(register) ? register : standIn;
  const args = agent ? ['--import', preload, work.main] : [work.main];
  const env = { ...process.env, MSCOPE_CACHE_DIR: work.caches[caseName] };
  if (agent) {
    rmSync(work.session, { recursive: true, force: true });
    mkdirSync(work.session);
    Object.assign(env, {
      MSCOPE_SESSION: work.session,
      MSCOPE_OPTIONS: JSON.stringify({ root: join(work.dir, 'program') }),
      MSCOPE_MONITORS_FILE: work.monitors,
    });
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: join(work.dir, 'program'), env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  // The agent reports its own failures on stderr and lets the program run: that is no sample.
  if (r.status !== 0 || r.stderr.length > 0) throw new Error(`startup bench: ${variant} exited ${r.status}: ${r.stderr}`);
  return ms;
}

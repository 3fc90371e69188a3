// What the agent costs an idle traced process in memory, by what it was given to run.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/mscope.js', import.meta.url));
const dir = fileURLToPath(new URL('./fixtures/memory/', import.meta.url));

export const title = 'resident memory of an idle traced process';
export const description = `
Each sample is the resident set size of one run of \`node idle.cjs\` (bench/fixtures/memory:
one call of \`work()\`, then 3 s idle), read by the program itself at the end of its idle time.
\`untraced\`: plain \`node\`. The others run under \`mscope run -q\`: \`END{}\` (an agent with
nothing linked), a D clause \`fn::work:entry { @calls[probefunc] = count(); }\` (which loads
the load-time rewrite, on Node 20 a hooks thread), \`--monitor count.mjs\` and \`--monitor
count.ts\` (the same counting monitor, in a CommonJS package; mscope compiles the TypeScript
one into JavaScript before CMD starts, where tsx once loaded it in the traced process).
`;
export const unit = 'MB';
export const rounds = 3;
export const isolate = false;

const RUNS = {
  untraced: ['node', 'idle.cjs'],
  'END{}': ['mscope', '-e', 'END{}'],
  'D clause': ['mscope', '-e', 'fn::work:entry { @calls[probefunc] = count(); }'],
  '.mjs monitor': ['mscope', '--monitor', 'count.mjs'],
  'TS monitor': ['mscope', '--monitor', 'count.ts'],
};

export function cases() {
  return [{ name: 'idle', title: 'RSS at the end of 3 s idle', baseline: 'untraced', variants: Object.keys(RUNS) }];
}

export function sample(_caseName, variant) {
  const [how, ...rest] = RUNS[variant];
  const args = how === 'node' ? rest : [bin, 'run', '-q', ...rest, '--', 'node', 'idle.cjs'];
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
  const m = /^rss (\d+)$/m.exec(r.stdout);
  if (r.status !== 0 || m === null) throw new Error(`memory bench: ${variant} failed: ${r.stderr}`);
  return Number(m[1]) / (1 << 20);
}

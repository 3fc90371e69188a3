// vtime (kperfmon's virtualized time) of an async function against its true on-CPU time.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const title = 'vtime of an async function (kperfmon)';
export const description = `
The benchmark process loads \`bench/fixtures/vtime-target.mjs\` through the load-time rewrite
once; each round (one sample of every variant, from the same calls) calls
\`segments(10, 1000000)\` 10 times: ten pieces of CPU work (\`crunch\`, a few ms each), each
followed by an \`await\` of a 2 ms timer. A direct monitor on \`fn:…:segments:return\` (with
\`vtime\` turned on, as a D program that reads it does) sums each call's \`vtime\` and
\`elapsed\`. \`on-CPU\`: the CPU time the function measured itself from each resume to its next
\`await\` (the same clock, core's \`cpuNs\`: \`process.threadCpuUsage\` where it reads finely,
else \`process.cpuUsage\`), the truth vtime should match. \`vtime\`: what the probe reported, which
also counts the prologue and each resume. \`elapsed\`: the wall time, with the 20 ms or more a
call spends awaiting. Target: vtime within 5 % of on-CPU.
`;
export const unit = 'ms/call';
export const rounds = 8;
export const isolate = false;

const dist = new URL('../dist/', import.meta.url);
const MODULE = 'bench/fixtures/vtime-target.mjs';
const CALLS = 10;

export function cases() {
  return [
    {
      name: 'segments',
      title: 'async function: 10 × (CPU work, await a 2 ms timer)',
      baseline: 'on-CPU',
      variants: ['on-CPU', 'vtime', 'elapsed'],
    },
  ];
}

/** One round's figures, taken once and handed out variant by variant, so that each round's ratio is paired. */
let pending = null;
let segments = null;
/** vtime / on-CPU of each round, from the same calls. */
const paired = [];

export function notes() {
  if (paired.length === 0) return [];
  const sorted = [...paired].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const f = (r) => `${r.toFixed(3)}×`;
  return [
    `vtime / on-CPU paired by round: median ${f(median)}, from ${f(sorted[0])} to ${f(sorted[sorted.length - 1])} (${paired.length} rounds)`,
  ];
}

export async function sample(_name, variant) {
  if (pending === null || !(variant in pending)) pending = await measure();
  const ms = pending[variant];
  delete pending[variant];
  return ms;
}

async function load() {
  const { transform } = await import(new URL('modules/transform.js', dist).href);
  const { installRuntime } = await import(new URL('modules/runtime.js', dist).href);
  installRuntime();
  const source = readFileSync(new URL('./fixtures/vtime-target.mjs', import.meta.url), 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'mscope-bench-'));
  const file = join(dir, 'vtime-target.mjs');
  writeFileSync(file, transform(source, { module: MODULE, format: 'module' }).code);
  try {
    return (await import(pathToFileURL(file).href)).segments;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure() {
  const { link } = await import(new URL('weaver/index.js', dist).href);
  const { vtimeUsers, cpuNs } = await import(new URL('core/index.js', dist).href);
  segments ??= await load();
  const sums = { vtime: 0, elapsed: 0, calls: 0 };
  const handle = link(`fn:${MODULE}:segments:return`, (ev) => {
    sums.vtime += ev.vtime;
    sums.elapsed += ev.elapsed;
    sums.calls++;
  });
  vtimeUsers.count++;
  await segments(10, 1000000, cpuNs);
  sums.vtime = sums.elapsed = sums.calls = 0;
  let onCpu = 0;
  for (let i = 0; i < CALLS; i++) onCpu += await segments(10, 1000000, cpuNs);
  vtimeUsers.count--;
  handle.unlink();
  if (sums.calls !== CALLS) throw new Error(`the return probe fired ${sums.calls} times, not ${CALLS}`);
  paired.push(sums.vtime / onCpu);
  const ms = (ns) => ns / CALLS / 1e6;
  return { 'on-CPU': ms(onCpu), vtime: ms(sums.vtime), elapsed: ms(sums.elapsed) };
}

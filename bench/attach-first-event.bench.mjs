// From starting mscope to the first event of a fn probe reaching it: `mscope attach PID` on a
// busy process that runs already, against `mscope run -- CMD` starting the same program, and
// the program alone reaching the same call.
import { fileURLToPath } from 'node:url';
import { startChild } from './lib/child-lines.mjs';

export const title = 'attach: from starting mscope to the first fn event';
export const description = `
The target is \`bench/fixtures/busy-target.cjs\`: its main thread computes without pause in
batches of about 5 ms, one event-loop turn between them, calling \`spin\` thousands of times a
batch. Each sample is the wall time from spawning a command to the first call of \`spin\`
being seen, taken as that moment's wall clock in the process (\`walltimestamp\`, or the
program's own \`Date.now()\`) minus the wall clock just before the spawn. \`node\`: plain
\`node busy-target.cjs\` printing its first call itself (start-up alone). \`mscope run\`:
\`mscope run -q -e 'fn::spin:entry { printf("%d\\n", walltimestamp); exit(0); }' -- node
busy-target.cjs\`, the program instrumented at load. \`mscope attach\`: the same D program with
\`mscope attach PID\` on a \`node --inspect-port=0 busy-target.cjs\` started earlier and busy for
half a second (\`spin\` optimized), outside the timed span: SIGUSR1, the inspector and the
agent injected while mscope loads the compiler and compiles (the agent loads its modules
meanwhile), then, once mscope has written the compiled program, \`spin\`'s script live-edited.
On a loaded machine wall time says mostly how much CPU each process got: the notes give
mscope's own \`attached in N ms\` figure too (from SIGUSR1, which comes before the compile).
`;
export const unit = 'ms';
export const rounds = 10;
export const isolate = false;

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MSCOPE = fileURLToPath(new URL('../bin/mscope.js', import.meta.url));
const TARGET = fileURLToPath(new URL('./fixtures/busy-target.cjs', import.meta.url));
const PROGRAM = 'fn::spin:entry { printf("%d\\n", walltimestamp); exit(0); }';
const attachedMs = [];

export function cases() {
  return [
    {
      name: 'first',
      title: 'spawn to the first call of `spin` seen (wall ms)',
      baseline: 'mscope run',
      variants: ['node', 'mscope run', 'mscope attach'],
    },
  ];
}

export function notes() {
  if (attachedMs.length === 0) return [];
  const sorted = [...attachedMs].sort((a, b) => a - b);
  return [
    `mscope attach's own figure, SIGUSR1 to the agent up ("attached in N ms"): median ${sorted[sorted.length >> 1]} ms (min ${sorted[0]}, max ${sorted.at(-1)})`,
  ];
}

export async function sample(_name, variant) {
  if (variant === 'node') {
    const started = nowNs();
    const app = startChild(ROOT, process.execPath, [TARGET]);
    const first = await app.line(/^first (\d+)$/);
    app.child.stdin.end();
    await app.done;
    return ms(BigInt(first[1]) - started);
  }
  if (variant === 'mscope run') {
    const started = nowNs();
    const m = startChild(ROOT, process.execPath, [MSCOPE, 'run', '-q', '-e', PROGRAM, '--', process.execPath, TARGET]);
    const first = await m.line(/^(\d+)$/);
    const r = await m.done;
    if (r.status !== 0) throw new Error(`mscope run failed (${r.status}): ${r.err}`);
    return ms(BigInt(first[1]) - started);
  }
  const app = startChild(ROOT, process.execPath, ['--inspect-port=0', TARGET]);
  try {
    await app.line(/^ready$/);
    const started = nowNs();
    const m = startChild(ROOT, process.execPath, [MSCOPE, 'attach', String(app.child.pid), '-q', '-e', PROGRAM]);
    const first = await m.line(/^(\d+)$/);
    const r = await m.done;
    if (r.status !== 0) throw new Error(`mscope attach failed (${r.status}): ${r.err}`);
    const attached = /attached to process .* in (\d+) ms/.exec(r.err);
    if (attached !== null) attachedMs.push(Number(attached[1]));
    return ms(BigInt(first[1]) - started);
  } finally {
    app.child.stdin.end();
    await app.done;
  }
}

function nowNs() {
  return BigInt(Date.now()) * 1_000_000n;
}

function ms(ns) {
  return Number(ns) / 1e6;
}

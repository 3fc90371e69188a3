// Splicing into running code (mscope attach): one live edit's time, and the cost per call of
// a counting probe spliced into a function compiled before it, against the bare call.
import { fileURLToPath } from 'node:url';
import { sampleCalls } from './lib/loop.mjs';
import { startProgram } from './lib/d-program.mjs';

export const title = 'live-edit splicing (mscope attach)';
export const description = `
Each sample is one fresh process that imports \`add(a, b)\` and calls it in a tight loop, as
\`calls\` does. \`none\`: untouched. \`spliced count\`: a counting monitor linked to
\`fn:calls-target.mjs:add:entry\`, spliced by the attach splicer (src/attach/splicer.ts): the
running function is live-edited (\`Debugger.setScriptSource\`) to the load-time rewrite's entry
prologue. \`spliced D count()\`: the D program \`fn:calls-target.mjs:add:entry { @[probefunc] =
count(); }\` compiled and run as \`mscope attach -e\` runs it in the target (its clause linked
with what its code shows: it keeps no event and reads only the probe's name, so the site hands
it one fixed event; its tuple is the last probe's cell). \`spliced return\`: the same with \`fn:calls-target.mjs:add:return\`, whose edit adds the
rewrite's return points (the body in a \`try\`, the return value stored to the call's token).
\`after detach\`: the \`spliced count\` case, then unlinked and the edit undone. Case \`splice\`
(CPU ms, one fresh process a sample): counting monitors linked to \`add\` and to \`mul\` of a
second module, \`calls-target-2.mjs\`, both called before, then the splicer started as attach
starts it: the \`setScriptSource\` of each module, each module's whole splice (get its source,
rewrite it twice, register the probes, edit), and the whole start (the debugger enabled, which
lists every script, each script's module classified, both splices). The first module pays
what is paid once per process: the private parser's load and first runs, V8's first live edit.
`;
export const unit = 'ns/op';
export const rounds = 10;
export const isolate = true;

const ROOT = fileURLToPath(new URL('./fixtures/', import.meta.url));
let mechanism = null;

export function cases() {
  return [
    {
      name: 'add',
      title: 'trivial two-argument function `add(a, b)`, compiled before the splice',
      baseline: 'none',
      variants: ['none', 'spliced count', 'spliced D count()', 'spliced return', 'after detach'],
    },
    {
      name: 'splice',
      title: 'splicing `calls-target.mjs`, then `calls-target-2.mjs` (CPU ms)',
      unit: 'ms',
      baseline: 'splice, 1st module',
      variants: ['setScriptSource, 1st module', 'setScriptSource, 2nd module', 'splice, 1st module', 'splice, 2nd module', 'whole start'],
    },
  ];
}

export function notes() {
  return mechanism === null || mechanism === 'live edit' ? [] : [`this Node has no live edit: the probe ran on ${mechanism}`];
}

const sink = { count: 0 };

export async function sample(name, variant) {
  const { add } = await import('./fixtures/calls-target.mjs');
  if (name === 'splice') return spliceTwo(add, variant);
  if (name === 'add' && variant === 'none') {
    sampleCalls(add);
    return sampleCalls(add);
  }
  // The function runs optimized before the splice, as a long-running process's would.
  sampleCalls(add);
  const { link } = await import('../dist/weaver/index.js');
  const { Splicer } = await import('../dist/attach/splicer.js');
  const description = `fn:calls-target.mjs:add:${variant === 'spliced return' ? 'return' : 'entry'}`;
  const handles =
    variant === 'spliced D count()'
      ? await startProgram(`${description} { @[probefunc] = count(); }`)
      : [link(description, () => void sink.count++)];
  const splicer = new Splicer({ root: ROOT }, (text) => process.stderr.write(`${text}\n`));
  splicer.start();
  mechanism = splicer.describe()[0]?.mechanism.replace(/ \(.*/, '') ?? 'nothing';
  if (variant === 'after detach') {
    for (const h of handles) h.unlink();
    splicer.stop();
    sampleCalls(add);
    return sampleCalls(add);
  }
  const ns = sampleCalls(add);
  if (handles.every((h) => h.stats.events === 0)) throw new Error('the spliced probe never fired');
  return ns;
}

async function spliceTwo(add, variant) {
  const { mul } = await import('./fixtures/calls-target-2.mjs');
  sampleCalls(add);
  sampleCalls(mul);
  const { link } = await import('../dist/weaver/index.js');
  const { Splicer } = await import('../dist/attach/splicer.js');
  const handles = ['fn:calls-target.mjs:add:entry', 'fn:calls-target-2.mjs:mul:entry'].map((d) => link(d, () => void sink.count++));
  const splicer = new Splicer({ root: ROOT }, (text) => process.stderr.write(`${text}\n`));
  const t0 = process.cpuUsage();
  splicer.start();
  const t = process.cpuUsage(t0);
  mechanism = splicer.describe()[0]?.mechanism.replace(/ \(.*/, '') ?? 'nothing';
  for (const h of handles) h.unlink();
  splicer.stop();
  const second = variant.endsWith('2nd module') ? 1 : 0;
  if (variant === 'whole start') return (t.user + t.system) / 1000;
  return (variant.startsWith('setScriptSource') ? splicer.editMs : splicer.spliceMs)[second] ?? Number.NaN;
}

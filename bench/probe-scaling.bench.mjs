// The cost of one enabled probe while 1, 100 or 10,000 other probes are enabled too.
import { sampleCalls } from './lib/loop.mjs';

export const title = 'one enabled probe among many enabled probes';
export const description = `
Each sample is one fresh process that defines 10,000 other functions with \`defineModule\`
(100 modules of 100) and the measured function \`add\`, links a counting monitor to the
\`entry\` probes of 1, 100 or 10,000 of the others (one glob link), links a counting monitor
to \`add\`'s entry, then calls \`add\` in a tight loop. \`nothing attached\`: the same
processes with no link at all. The baseline is \`1 other\`.
`;
export const unit = 'ns/op';
export const rounds = 10;
export const isolate = true;

const OTHERS = { '1 other': 'fn:other-0:f0:entry', '100 others': 'fn:other-0:*:entry', '10,000 others': 'fn:other-*:*:entry' };

export function cases() {
  return [
    {
      name: 'scaling',
      title: 'counting monitor on `add` entry',
      baseline: '1 other',
      variants: ['nothing attached', ...Object.keys(OTHERS)],
    },
  ];
}

export async function sample(_case, variant) {
  const { defineModule } = await import('../dist/modules/define.js');
  const { link } = await import('../dist/weaver/index.js');
  for (let m = 0; m < 100; m++) {
    const api = {};
    for (let f = 0; f < 100; f++) api[`f${f}`] = (a, b) => a + b + f;
    defineModule(`other-${m}`, api);
  }
  const { add } = defineModule('measured', { add: (a, b) => a + b });
  let count = 0;
  if (variant !== 'nothing attached') {
    const others = link(OTHERS[variant], () => void count++);
    const expected = variant === '1 other' ? 1 : variant === '100 others' ? 100 : 10_000;
    if (others.probes().length !== expected) throw new Error(`probe-scaling: ${variant} linked ${others.probes().length} probes`);
    link('fn:measured:add:entry', () => void count++);
  }
  return sampleCalls(add);
}

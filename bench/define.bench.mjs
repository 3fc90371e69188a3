// A module declared with defineModule, its API functions called from one function: the cost of
// the wrappers with no probe linked, and with a monitor on every function's entry.
import { sampleCalls } from './lib/loop.mjs';

export const title = 'defineModule: four API functions called from one function';
export const description = `
Each sample is one fresh process calling \`f(i, s)\`, which calls four functions of one
module (\`neg(mul(sub(add(i, s), 1), 1))\`), in a tight loop; ns/op is per call of \`f\`.
\`none\`: the plain functions. \`disabled\`: the module through \`defineModule\`, no probe linked.
\`count, probe only\`: a counting monitor on every function's \`entry\` (\`fn:calc::entry\`),
linked as a D clause that reads nothing of its event but probe names. \`count\`: the same
monitor reading its event. \`timing, borrowing\`: a monitor on every \`return\` summing
\`elapsed\`, linked with \`{ keepsEvents: false, readsArgs: false }\`.
`;
export const unit = 'ns/op';
export const rounds = 10;
export const isolate = true;

export function cases() {
  return [
    {
      name: 'four',
      title: '`neg(mul(sub(add(i, s), 1), 1))` through one module',
      baseline: 'none',
      variants: ['none', 'disabled', 'count, probe only', 'count', 'timing, borrowing'],
    },
  ];
}

const BORROWING = { keepsEvents: false, readsArgs: false };
const sink = { count: 0, total: 0 };

export async function sample(_case, variant) {
  const api = {
    add: (a, b) => a + b,
    sub: (a, b) => a - b,
    mul: (a, b) => a * b,
    neg: (a) => -a,
  };
  let m = api;
  if (variant !== 'none') {
    const { defineModule } = await import('../dist/modules/define.js');
    const { link } = await import('../dist/weaver/index.js');
    m = defineModule('calc', api);
    if (variant === 'count, probe only') link('fn:calc::entry', () => void sink.count++, { ...BORROWING, readsEvent: false });
    if (variant === 'count') link('fn:calc::entry', () => void sink.count++);
    if (variant === 'timing, borrowing') link('fn:calc::return', (ev) => void (sink.total += ev.elapsed), BORROWING);
  }
  const { add, sub, mul, neg } = m;
  return sampleCalls((i, s) => neg(mul(sub(add(i, s), 1), 1)));
}

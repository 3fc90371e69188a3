// A call-heavy loop over a small exported function, with and without microScope's probes,
// and with the same function wrapped by diagnostics_channel and by shimmer as peers.
import dc from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { sampleCalls } from './lib/loop.mjs';
import { loadInstrumentedTarget, MODULE_NAME } from './lib/instrumented.mjs';

export const title = 'call-heavy loop over a small exported function';
export const description = `
Each sample is one fresh process calling the function in a tight loop. \`none\`: the plain
module. \`disabled\`: instrumentable, no probe linked. \`count\`: a counting monitor on
\`entry\`. \`timing\`: a monitor on \`return\` summing \`elapsed\` (the entry timestamp is
read by the probe site, so the clock is read twice per call). \`2 clock reads\`: the plain
function timed by hand with two \`nowNs()\` calls, the bound for \`timing\`. \`count, borrowing\` and
\`timing, borrowing\`: the same monitors linked with \`{ keepsEvents: false, readsArgs: false }\`, as
D clauses are linked when they keep no event and read no argument, and as a \`--monitor\` file that
declares both is linked: the site reuses one event
(and, for a plain function, the call's token) and never builds the arguments array.
\`count, probe only\`: the counting monitor linked with \`readsEvent: false\` as well, as a D
clause that reads nothing of its event but probe names links (\`@[probefunc] = count()\`): the
site hands it one fixed event that no firing fills in.
\`diagnostics_channel\`: a wrapper publishing \`{ args }\` to a channel with one counting
subscriber, guarded by \`hasSubscribers\`. \`shimmer\`: \`shimmer.wrap\` with a counting wrapper.
`;
export const unit = 'ns/op';
export const rounds = 10;
export const isolate = true;

const VARIANTS = [
  'none',
  'disabled',
  'count',
  'count, borrowing',
  'count, probe only',
  'timing',
  'timing, borrowing',
  '2 clock reads',
  'diagnostics_channel',
  'shimmer',
];
/** What a monitor that keeps no event and reads no argument declares (weaver LinkOptions; a monitor file's exports). */
const BORROWING = { keepsEvents: false, readsArgs: false };
const FUNCTIONS = {
  add: 'trivial two-argument function `add(a, b)`',
  work: 'function doing about 100 ns of work `work(a, b)`',
};

export function cases() {
  return Object.entries(FUNCTIONS).map(([fn, title]) => ({ name: fn, title, baseline: 'none', variants: VARIANTS }));
}

let method = null;
/** Where monitors and wrappers put what they compute, so none of it is dead code. */
const sink = { count: 0, total: 0 };

export function notes() {
  return method === null
    ? []
    : [
        `instrumentable = ${method === 'rewrite' ? 'load-time rewrite of function bodies' : 'defineModule wrapper (the load-time rewrite is not in this build)'}`,
      ];
}

export async function sample(fn, variant) {
  return sampleCalls(await makeFunction(fn, variant));
}

async function makeFunction(fn, variant) {
  const plain = await import('./fixtures/calls-target.mjs');
  const original = plain[fn];
  switch (variant) {
    case 'none':
      return original;
    case 'disabled':
    case 'count':
    case 'count, borrowing':
    case 'count, probe only':
    case 'timing':
    case 'timing, borrowing': {
      const loaded = await loadInstrumentedTarget();
      method = loaded.method;
      const { link } = await import('../dist/weaver/index.js');
      if (variant === 'count') link(`fn:${MODULE_NAME}:${fn}:entry`, () => void sink.count++);
      if (variant === 'timing') link(`fn:${MODULE_NAME}:${fn}:return`, (ev) => void (sink.total += ev.elapsed));
      if (variant === 'count, borrowing') link(`fn:${MODULE_NAME}:${fn}:entry`, () => void sink.count++, BORROWING);
      if (variant === 'count, probe only') {
        link(`fn:${MODULE_NAME}:${fn}:entry`, () => void sink.count++, { ...BORROWING, readsEvent: false });
      }
      if (variant === 'timing, borrowing') {
        link(`fn:${MODULE_NAME}:${fn}:return`, (ev) => void (sink.total += ev.elapsed), BORROWING);
      }
      return loaded.api[fn];
    }
    case '2 clock reads': {
      const { nowNs } = await import('../dist/core/clock.js');
      return function timed(a, b) {
        const t0 = nowNs();
        const r = original(a, b);
        sink.total += nowNs() - t0;
        return r;
      };
    }
    case 'diagnostics_channel': {
      const ch = dc.channel(`bench:${fn}`);
      ch.subscribe(() => void sink.count++);
      return function published(a, b) {
        if (ch.hasSubscribers) ch.publish({ args: [a, b] });
        return original(a, b);
      };
    }
    case 'shimmer': {
      const shimmer = createRequire(import.meta.url)('shimmer');
      const holder = { [fn]: original };
      shimmer.wrap(
        holder,
        fn,
        (orig) =>
          function wrapped() {
            sink.count++;
            return orig.apply(this, arguments);
          },
      );
      return holder[fn];
    }
  }
  throw new Error(`calls bench: unknown variant ${variant}`);
}

// What the D language adds on top of a probe: a count() clause per firing, a false
// predicate against a bare enabled probe, and the compile time of a large program.
import { performance } from 'node:perf_hooks';
import { sampleCalls } from './lib/loop.mjs';
import { loadInstrumentedTarget } from './lib/instrumented.mjs';
import { startProgram } from './lib/d-program.mjs';

export const title = 'D clauses: per-firing cost and compile time';
export const description = `
Each sample is one fresh process. Call cases loop over the trivial \`add(a, b)\` of the
call benchmark, loaded instrumentable by the same rewrite. \`none\`: the plain module.
\`disabled\`: instrumentable, nothing linked. \`count() clause\`: the program
\`fn:::entry { @[probefunc] = count(); }\` compiled and run by \`ConsumerProgram.solo\`
(direct binding). \`bare enabled probe\`: \`link\` with an empty monitor.
\`false predicate\`: \`fn:::entry /arg0 < 0/ { @n = count(); }\` (arg0 is never negative).
\`arithmetic clause\`: integer arithmetic on a global declared \`int64_t\` and a clause-local (64-bit: it takes arg0's type).
The self case stores a variable on entry and zeroes it on return: a global, or a \`self->\`
variable, whose new storage is charged to \`dynvarsize\` and given back when zeroed.
The compile case times the first \`compile()\` in a process (what \`mscope\` pays), of a
1-clause program and of a 200-clause program.
`;
export const unit = 'ns/op';
export const rounds = 10;
export const isolate = true;

const COUNT = 'fn:::entry { @[probefunc] = count(); }';
const FALSE_PREDICATE = 'fn:::entry /arg0 < 0/ { @n = count(); }';
const ARITHMETIC = 'int64_t n; fn:::entry { n = n + 1; this->x = (arg0 * 3 + n) & 0xff; @s = sum(this->x + n % 7); }';
const GLOBAL_STORE = 'fn:::entry { g = arg0 + 1; } fn:::return { g = 0; }';
const SELF_STORE = 'fn:::entry { self->x = arg0 + 1; } fn:::return { self->x = 0; }';
/** Every D program the cases run, by variant; test/scripts/bench-programs.test.ts compiles each. */
export const PROGRAMS = {
  'count() clause': COUNT,
  'false predicate': FALSE_PREDICATE,
  'arithmetic clause': ARITHMETIC,
  'global store': GLOBAL_STORE,
  'self-> store': SELF_STORE,
};

export function cases() {
  return [
    {
      name: 'count',
      title: '`fn:::entry { @[probefunc] = count(); }` on `add(a, b)`, direct binding',
      baseline: 'none',
      variants: ['none', 'disabled', 'count() clause'],
    },
    {
      name: 'arithmetic',
      title: '`n = n + 1; this->x = (arg0 * 3 + n) & 0xff; @s = sum(this->x + n % 7)` vs. a count() clause',
      baseline: 'count() clause',
      variants: ['count() clause', 'arithmetic clause'],
    },
    {
      name: 'predicate',
      title: 'a clause whose predicate is false vs. a bare enabled probe',
      baseline: 'bare enabled probe',
      variants: ['bare enabled probe', 'false predicate', 'none'],
    },
    {
      name: 'self',
      title: 'a variable stored on entry and zeroed on return: global vs. `self->`',
      baseline: 'global store',
      variants: ['global store', 'self-> store'],
    },
    { name: 'compile', title: 'first `compile()` in a process', unit: 'ms', baseline: '1 clause', variants: ['1 clause', '200 clauses'] },
  ];
}

/** Where monitors put what they see, so none of it is dead code. */
const sink = { count: 0 };

export async function sample(caseName, variant) {
  if (caseName === 'compile') return compileMs(variant === '1 clause' ? 1 : 200);
  if (variant === 'none') return sampleCalls((await import('./fixtures/calls-target.mjs')).add);
  const { api } = await loadInstrumentedTarget();
  let handles = [];
  if (variant === 'bare enabled probe') {
    const { link } = await import('../dist/weaver/index.js');
    handles = [link('fn:::entry', () => void sink.count++)];
  } else if (variant !== 'disabled') {
    handles = await startProgram(PROGRAMS[variant]);
  }
  const ns = sampleCalls(api.add);
  // A clause that matched nothing would measure the disabled path under another name.
  const events = handles.reduce((s, h) => s + h.stats.events, 0);
  if (handles.length > 0 && events === 0) throw new Error(`lang bench: ${variant} saw no events`);
  return ns;
}

/** A program of `n` distinct clauses, each with a predicate and two aggregations. */
export function program(n) {
  const clauses = [];
  for (let i = 0; i < n; i++) {
    clauses.push(
      `fn:app/m${i % 20}.js:f${i}:entry /arg0 > ${i} && probefunc != "x${i}"/ {\n` +
        `  @calls[probefunc, arg0 % 4] = count();\n  @bytes${i % 10} = sum(arg1);\n  self->t${i % 5} = timestamp;\n}`,
    );
  }
  return clauses.join('\n');
}

async function compileMs(n) {
  const { compile } = await import('../dist/lang/index.js');
  const text = program(n);
  const t0 = performance.now();
  const r = compile([{ file: 'bench.d', text }], { quiet: true });
  const ms = performance.now() - t0;
  if (r.program === undefined) throw new Error(`lang bench: ${JSON.stringify(r.diagnostics.slice(0, 3))}`);
  return ms;
}

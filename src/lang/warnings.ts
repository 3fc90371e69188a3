import { formatProbeName, type ProbeDescription, type ProbeName } from '../core/index.js';
import { makeDiagnostic, type Diagnostic } from './diagnostics.js';
import type { CompiledProgram } from './program.js';
import { editDistance } from './suggest.js';

/**
 * Whether a description can match probes that a traced program makes as it runs: `fn` probes
 * of the modules it loads, its `usdt` probes, its own `dc` channels, `line` probes of an attached process. Any other description's
 * matches are known before CMD starts (mscope has the same providers), so it is judged then.
 */
export function matchesLater(d: ProbeDescription): boolean {
  return d.matchesProvider('fn') || d.matchesProvider('usdt') || d.matchesProvider('dc') || d.matchesProvider('line');
}

/**
 * Warnings for probe descriptions that matched none of `probes`, each naming up to three
 * nearest probes that did exist. `which` narrows them: `now`, the descriptions judged before
 * CMD runs; `later`, those judged at the end of the run (see matchesLater). `matched` names
 * descriptions already known to have matched (an agent's links count them), and `probes` may
 * be a function: a process whose descriptions all matched never lists its probes.
 * `unrewritten` names code of the process that the load-time rewrite never saw (`node -e`),
 * which an unmatched `fn` description's hint then names: its functions have no probes.
 */
export function unmatchedProbeWarnings(
  program: CompiledProgram,
  probes: readonly ProbeName[] | (() => readonly ProbeName[]),
  which: 'all' | 'now' | 'later' = 'all',
  matched: (d: ProbeDescription) => boolean = () => false,
  unrewritten: string | null = null,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  let listed: readonly ProbeName[] | null = null;
  for (const c of program.clauses) {
    for (const spec of c.probes) {
      const d = spec.description;
      if (d === null || (which !== 'all' && matchesLater(d) !== (which === 'later'))) continue;
      if (matched(d)) continue;
      listed ??= typeof probes === 'function' ? probes() : probes;
      if (listed.some((p) => d.matches(p))) continue;
      const near = nearestProbes(d, listed);
      const hints: string[] = [];
      if (unrewritten !== null && d.matchesProvider('fn'))
        hints.push(`${unrewritten} is not rewritten: fn probes fire in the files Node loads`);
      if (near.length !== 0) hints.push(`nearest probes: ${near.join(', ')}`);
      out.push(makeDiagnostic('D5001', spec.span, [spec.text], hints.length === 0 ? {} : { hint: hints.join('; ') }));
    }
  }
  return out;
}

const FIELDS = ['provider', 'module', 'func', 'name'] as const;

/**
 * Up to three probes nearest to `d`, best first: the edit distances of the fields it writes,
 * summed (an empty field matches anything and counts nothing; a field its glob matches counts
 * nothing). A field is near when about half of it at most is mistyped, never the whole. Each distinct value of a
 * field is measured once: a program's thousands of `fn` probes share few function names, and
 * whole names compared with a description that leaves the module out were far apart by the
 * module's length alone.
 */
function nearestProbes(d: ProbeDescription, probes: readonly ProbeName[]): string[] {
  const limit = Math.max(3, Math.ceil(d.text.length / 2));
  const memo = FIELDS.map(() => new Map<string, number>());
  const fieldDistance = (k: 0 | 1 | 2 | 3, value: string): number => {
    const written = d[FIELDS[k]];
    if (written === '') return 0;
    let distance = memo[k]!.get(value);
    if (distance === undefined) {
      // About half the field may be mistyped, never all of it.
      const near = Math.min(limit, Math.ceil(written.length / 2) + 1, Math.max(written.length, value.length) - 1);
      const edits = d.fieldMatches(k, value) ? 0 : editDistance(written, value, near);
      distance = edits <= near ? edits : limit + 1;
      memo[k]!.set(value, distance);
    }
    return distance;
  };
  const near: [number, string][] = [];
  for (const p of probes) {
    let total = fieldDistance(0, p.provider);
    if (total <= limit) total += fieldDistance(1, p.module);
    if (total <= limit) total += fieldDistance(2, p.func);
    if (total <= limit) total += fieldDistance(3, p.name);
    if (total <= limit) near.push([total, formatProbeName(p)]);
  }
  return near
    .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1))
    .slice(0, 3)
    .map(([, n]) => n);
}

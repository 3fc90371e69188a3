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
 */
export function unmatchedProbeWarnings(
  program: CompiledProgram,
  probes: readonly ProbeName[] | (() => readonly ProbeName[]),
  which: 'all' | 'now' | 'later' = 'all',
  matched: (d: ProbeDescription) => boolean = () => false,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  let listed: readonly ProbeName[] | null = null;
  let names: string[] | null = null;
  for (const c of program.clauses) {
    for (const spec of c.probes) {
      const d = spec.description;
      if (d === null || (which !== 'all' && matchesLater(d) !== (which === 'later'))) continue;
      if (matched(d)) continue;
      listed ??= typeof probes === 'function' ? probes() : probes;
      if (listed.some((p) => d.matches(p))) continue;
      names ??= listed.map(formatProbeName);
      const near = nearestNames(spec.text, names);
      const hint = near.length === 0 ? undefined : `nearest probes: ${near.join(', ')}`;
      out.push(makeDiagnostic('D5001', spec.span, [spec.text], hint === undefined ? {} : { hint }));
    }
  }
  return out;
}

function nearestNames(text: string, names: readonly string[]): string[] {
  const limit = Math.max(3, Math.ceil(text.length / 2));
  return names
    .map((n): [number, string] => [Math.min(editDistance(text, n, limit), editDistance(text, n.replace(/^[^:]*:/, ':'), limit)), n])
    .filter(([d]) => d <= limit)
    .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1))
    .slice(0, 3)
    .map(([, n]) => n);
}

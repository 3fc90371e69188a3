import { BINDING_KINDS, capabilityError, type BindingKind } from '../core/index.js';
import type { Program } from './ast.js';
import { Capability } from './builtins.js';
import type { DiagnosticBag } from './diagnostics.js';

type Feature = Parameters<typeof capabilityError>[1];

/** What each capability a clause needs asks of its binding; `self` has no remote form at all. */
const FEATURES: Partial<Record<Capability, Feature>> = {
  [Capability.LiveObjects]: 'objects',
  [Capability.This]: 'thisArg',
  [Capability.Stack]: 'stack',
  [Capability.Strings]: 'strings',
  [Capability.Retval]: 'retval',
  [Capability.Error]: 'error',
};

const WHAT: Record<string, string> = {
  [Capability.LiveObjects]: 'members of object arguments',
  [Capability.This]: '`this`',
  [Capability.Stack]: 'stack()',
  [Capability.Strings]: 'string arguments',
  [Capability.Retval]: 'the return value',
  [Capability.Error]: 'the error',
  [Capability.SelfVars]: 'self-> variables',
  [Capability.Vtime]: '`vtime`',
  [Capability.Concurrency]: '`concurrency`',
};

/** What only the direct binding can give, whatever the binding's fidelity. */
const DIRECT_ONLY: Partial<Record<Capability, string>> = {
  [Capability.SelfVars]: `self-> variables follow the application's async context, which only the direct binding sees`,
  [Capability.Vtime]: `it is kept on the call's entry event in the application's thread, which only the direct binding sees`,
  [Capability.Concurrency]: `it is kept by the function's probe site in the application's thread, which only the direct binding sees`,
};

/**
 * The binding of each clause: `#pragma binding NAME` applies to the clauses after it in its
 * file, `fallback` (from `-b`, default direct) to the rest. A clause that needs what its
 * binding cannot give (a member of an object through shm, `stack()` in another thread) is
 * an error at the clause, so the program never starts.
 */
export function assignBindings(
  program: Program,
  capabilities: ReadonlyArray<readonly Capability[] | undefined>,
  fallback: BindingKind,
  diags: DiagnosticBag,
): BindingKind[] {
  const pragmas = new Map<string, Array<{ at: number; binding: BindingKind }>>();
  for (const p of program.pragmas) {
    if (p.kind !== 'binding') continue;
    if (!BINDING_KINDS.includes(p.name as BindingKind)) diags.report('D4015', p.nameSpan, [p.name]);
    else {
      const list = pragmas.get(p.span.file) ?? [];
      list.push({ at: p.span.start, binding: p.name as BindingKind });
      pragmas.set(p.span.file, list);
    }
  }
  const clauses = program.clauses;
  return clauses.map((c) => {
    const before = (pragmas.get(c.span.file) ?? []).filter((p) => p.at < c.span.start);
    const binding = before.length > 0 ? before[before.length - 1]!.binding : fallback;
    if (binding !== 'direct' && c.probes.some((p) => p.description !== null)) {
      for (const cap of capabilities[c.index] ?? []) {
        const feature = FEATURES[cap];
        const problem =
          DIRECT_ONLY[cap] !== undefined ? DIRECT_ONLY[cap] : feature === undefined ? null : capabilityError(binding, feature);
        if (problem !== null) diags.report('D4014', c.probes[0]!.span, [WHAT[cap] ?? cap, problem]);
      }
    }
    return binding;
  });
}

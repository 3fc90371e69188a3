import { ProbeDescription } from '../core/index.js';
import type { CompiledProgram } from './program.js';
import type { ProbeSpec } from './ast.js';
import { clauseFactory } from './runtime/helpers.js';

/**
 * A compiled program as JSON, as mscope hands it to every traced process: an agent that
 * loads it runs the same clauses without loading the compiler (about twenty modules, paid
 * at every traced process's start). Descriptions travel as their text, the clause
 * functions as their generated source.
 */
export type ShippedProgram = Omit<CompiledProgram, 'clauses' | 'printedByProgram' | 'factory'> & {
  readonly clauses: ReadonlyArray<Omit<CompiledProgram['clauses'][number], 'probes'> & { readonly probes: readonly ShippedProbe[] }>;
  readonly printedByProgram: readonly string[];
};

type ShippedProbe = Omit<ProbeSpec, 'description'> & { readonly description: boolean };

export function shipProgram(p: CompiledProgram): ShippedProgram {
  const { factory: _factory, ...rest } = p;
  return {
    ...rest,
    clauses: p.clauses.map((c) => ({ ...c, probes: c.probes.map((s) => ({ ...s, description: s.description !== null })) })),
    printedByProgram: [...p.printedByProgram],
  };
}

/** The program `shipProgram` was given, its descriptions parsed and its clause factory built again. */
export function loadShippedProgram(s: ShippedProgram): CompiledProgram {
  return {
    ...s,
    clauses: s.clauses.map((c) => ({
      ...c,
      probes: c.probes.map((p) => ({ ...p, description: p.description ? ProbeDescription.parse(p.text) : null })),
    })),
    printedByProgram: new Set(s.printedByProgram),
    factory: clauseFactory(s.code),
  };
}

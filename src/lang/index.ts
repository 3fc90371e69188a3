/**
 * The D script language: compile sources once; `ProgramInstance` is a compiled program made
 * live (aggregations, globals, clause functions and the runtime they call). lang links no
 * probes: src/agent links a program's probe clauses, src/consumer runs BEGIN, tick-N and END
 * and prints.
 *
 * ```ts
 * const sources = [{ file: '<-e>', text: 'fn:::entry { @[probefunc] = count(); }' }];
 * const { program, diagnostics } = compile(sources, { options: [['quiet', '1']] });
 * if (program === undefined) throw new Error(renderDiagnostics(diagnostics, sources));
 * ```
 */
export { compile, runsInAgents, type CompiledProgram, type CompileOptions, type CompileResult, type ClauseInfo } from './program.js';
export { renderDiagnostics, type Diagnostic, type Source, Messages } from './diagnostics.js';
export { ProgramInstance, isEmptyDelta, type Host, type ProgramDelta, type ProgramLosses, type ClauseFn } from './runtime/instance.js';
export { matchesLater, unmatchedProbeWarnings } from './warnings.js';
export { Capability } from './builtins.js';
export type { ProgramOptions } from './options.js';
export type { OutputFormat } from './runtime/runtime.js';
export { recordsWithHeader } from './runtime/runtime.js';

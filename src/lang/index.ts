/**
 * The D script language: compile sources once, then run the program in a role.
 *
 * ```ts
 * const sources = [{ file: '<-e>', text: 'fn:::entry { @[probefunc] = count(); }' }];
 * const { program, diagnostics } = compile(sources, { options: [['quiet', '1']] });
 * if (program === undefined) throw new Error(renderDiagnostics(diagnostics, sources));
 * const run = new ProgramInstance(program, 'solo', { output: (t) => process.stdout.write(t), exit: (n) => stop(n) });
 * run.start(); // BEGIN, links, timers
 * run.finish(); // END, then the aggregations the program did not print
 * ```
 */
export { compile, type CompiledProgram, type CompileOptions, type CompileResult, type ClauseInfo } from './program.js';
export { renderDiagnostics, type Diagnostic, type Source, Messages } from './diagnostics.js';
export { ProgramInstance, isEmptyDelta, type Role, type Host, type ProgramDelta } from './runtime/instance.js';
export { unmatchedProbeWarnings } from './warnings.js';
export { Capability } from './builtins.js';
export type { ProgramOptions } from './options.js';
export type { OutputFormat } from './runtime/runtime.js';

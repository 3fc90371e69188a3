/** The D script language: compile a program and run it (`solo`, `agent`, `consumer` roles). */
export { compile, renderDiagnostics, ProgramInstance, unmatchedProbeWarnings } from './lang/index.js';
export type { CompiledProgram, Diagnostic, Source, Role, Host, ProgramDelta, CompileOptions } from './lang/index.js';

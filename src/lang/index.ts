export { compile, type CompiledProgram, type CompileOptions, type CompileResult, type ClauseInfo } from './program.js';
export { renderDiagnostics, type Diagnostic, type Source, Messages } from './diagnostics.js';
export { ProgramInstance, type Role, type Host, type ProgramDelta } from './runtime/instance.js';
export { unmatchedProbeWarnings } from './warnings.js';
export { Capability } from './builtins.js';
export type { ProgramOptions } from './options.js';
export type { OutputFormat } from './runtime/runtime.js';

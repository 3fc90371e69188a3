/**
 * The D script language: compile a program, then run it in this process (`ConsumerProgram.solo`),
 * or split as mscope runs it: `AgentProgram` where the probes fire, `ConsumerProgram` where
 * the deltas are merged and END runs.
 */
export { compile, renderDiagnostics, unmatchedProbeWarnings } from './lang/index.js';
export type { CompiledProgram, Diagnostic, Source, Host, ProgramDelta, CompileOptions } from './lang/index.js';
export { AgentProgram } from './agent/agent-program.js';
export { ConsumerProgram } from './consumer/consumer-program.js';

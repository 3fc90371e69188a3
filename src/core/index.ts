export { ProbeDescription, formatProbeName, type ProbeName } from './description.js';
export {
  Probe,
  fireProbe,
  fireEvent,
  fireExit,
  fireProvided,
  gathered,
  handlerChanges,
  DTRACE_PROBE_IDS,
  FIRST_PROBE_ID,
  type ProbeHandler,
  type ProbeArg,
} from './probe.js';
export { ProbeEvent, NO_ARGS, setActivitySource, currentActivity } from './event.js';
export { ProbeRegistry, registry, type SkippedFunction, type ProbeFactory } from './registry.js';
export { nowNs, wallNs, cpuNs, cpuClockKind, type CpuClockKind } from './clock.js';
export { vtimeUsers } from './event.js';
export { compileGlob, isGlob } from './glob.js';
export { escapeText, escapeDiagnostic, traceString } from './escape.js';
export { inputFileRefusal } from './input-file.js';
export { MscopeError, ErrorCode } from './errors.js';
export { INTERNAL_THREAD_ENV, internalEnv } from './threads.js';
export { installThreadIdView, recordOwnThread, startOwnThread } from './thread-ids.js';
export { BUILT_THREADS_ENV, threadEntryUrl } from './thread-entry.js';
export { internalWork, internally } from './internal.js';
export { eventStack, isOwnFile, isOwnFrame } from './own-frames.js';
export {
  BINDING_KINDS,
  unknownBinding,
  BINDING_CAPABILITIES,
  capabilityError,
  type BindingKind,
  type BindingCapabilities,
  type CapabilityFeature,
  type Fidelity,
} from './bindings.js';
export { deferred, type Deferred } from './deferred.js';
export { builtin } from './builtin.js';
export { isOwnListener, onProcess, programListens } from './process-listeners.js';

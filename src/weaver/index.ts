import './bindings/register.js';
export { link, links, registerBinding, LinkHandle, type LinkOptions, type BindingFactory } from './link.js';
export { onFault, flushFaults } from './faults.js';
export type { Monitor, Binding, BindingKind, BindingContext, BindingSettings, LinkStats, FaultReport } from './types.js';
export type { MonitorRef, RemoteMonitor } from './remote/monitor-ref.js';
export { RemoteEvent, Unsupported, type RemoteProbe } from './bindings/record-reader.js';
export { BINDING_CAPABILITIES, capabilityError, type BindingCapabilities, type CapabilityFeature, type Fidelity } from '../core/index.js';
export { ShmRing, type ThreadDrops } from './bindings/shm-ring.js';
export { OutputBuffer, DEFAULT_OUTPUT_BYTES } from './remote/output-buffer.js';
export { BINDING_KINDS, unknownBinding } from './types.js';
export {
  startControlServer,
  offerControlServer,
  stopControlServer,
  controlServerRunning,
  serveControlOp,
  serveProbeMechanisms,
  controlRequest,
  controlRequestAt,
  controlDir,
  controlPath,
  type ControlRequest,
  type ControlResponse,
  type ControlOpHandler,
  type LinkInfo,
  type ProbeMechanism,
} from './control.js';

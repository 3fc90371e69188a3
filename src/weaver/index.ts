export { link, links, registerBinding, LinkHandle, type LinkOptions, type BindingFactory } from './link.js';
export { onFault, describeError } from './faults.js';
export type { Monitor, Binding, BindingKind, LinkStats, FaultReport } from './types.js';
export { BINDING_KINDS } from './types.js';

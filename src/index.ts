/**
 * microScope: monitoring as a first-class primitive for Node.js programs.
 *
 * ```ts
 * import { defineModule, link } from 'microscope';
 * const math = defineModule('math', { add: (a: number, b: number) => a + b });
 * const h = link('fn:math:add:entry', (ev) => console.log('add', ev.args));
 * math.add(1, 2); // prints: add [ 1, 2 ]
 * h.unlink();
 * ```
 */
export { ProbeDescription, ProbeEvent, registry, MscopeError, ErrorCode, nowNs } from './core/index.js';
export type { Probe, ProbeName, ProbeArg } from './core/index.js';
export { link, links, onFault, LinkHandle } from './weaver/index.js';
export type { Monitor, BindingKind, LinkOptions, LinkStats, FaultReport } from './weaver/index.js';
export { defineModule } from './modules/define.js';

/**
 * microScope: monitoring as a first-class primitive for Node.js programs.
 *
 * Probes are named `provider:module:function:name`; the weaver links monitors to them
 * while the program runs, through a binding chosen at link time.
 *
 * ```ts
 * import { defineModule, link } from 'microscope';
 * const math = defineModule('math', { add: (a: number, b: number) => a + b });
 * const h = link('fn:math:add:entry', (ev) => console.log('add', ev.args));
 * math.add(1, 2); // prints: add [ 1, 2 ]
 * h.unlink();
 * ```
 *
 * The script language is `microscope/lang` (`compile`, `ConsumerProgram`); the store and
 * the Prometheus and OpenTelemetry exporters are `microscope/export`. They are separate so
 * that a library importing `probe()` from here pays for neither.
 */
export { ProbeDescription, ProbeEvent, registry, MscopeError, ErrorCode, nowNs, formatProbeName } from './core/index.js';
export type { Probe, ProbeName, ProbeArg } from './core/index.js';
export { link, links, onFault, LinkHandle } from './weaver/index.js';
export type { Monitor, BindingKind, LinkOptions, LinkStats, FaultReport } from './weaver/index.js';
export { defineModule } from './modules/define.js';
export { installInstrumentation, type InstallOptions } from './modules/install.js';
export { probe, UsdtProbe, registerProviders } from './providers/index.js';
export { acct, query, renderReport, FIELDS } from './accounting/index.js';
export type { AcctRecord, AcctOptions } from './accounting/index.js';
export {
  defineMonitor,
  type MonitorDefinition,
  type MonitorLinkOptions,
  type MonitorOutput,
  type EventHandler,
} from './agent/define-monitor.js';

// Bundled into every traced test realm: microScope's fn runtime, probe registry and weaver,
// with one counting monitor linked to every fn probe, all in the realm of the code it traces.
import { registry } from '../../../dist/core/index.js';
import { installRuntime } from '../../../dist/modules/runtime.js';
import { link } from '../../../dist/weaver/link.js';

export function install() {
  installRuntime();
  const counts = { entry: 0, return: 0, error: 0 };
  link('fn:::', (event) => {
    counts[event.probe.name]++;
  });
  return { counts, probes: () => registry.list().length };
}

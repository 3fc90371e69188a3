import type { AgentOptions } from '../../agent/protocol.js';
import type { BindingKind } from '../../core/bindings.js';
/** The options of `mscope run`, `attach` and `explore PID`: apart, so that `mscope explore STORE` loads none of run's modules. */
export const RUN_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  monitor: { type: 'string', multiple: true },
  program: { type: 'string', short: 'e', multiple: true },
  script: { type: 'string', short: 's', multiple: true },
  option: { type: 'string', short: 'x', multiple: true },
  arg: { type: 'string', multiple: true },
  format: { type: 'string', short: 'f' },
  destructive: { type: 'boolean', short: 'w' },
  quiet: { type: 'boolean', short: 'q' },
  zdefs: { type: 'boolean', short: 'Z' },
  flowindent: { type: 'boolean', short: 'F' },
  output: { type: 'string', short: 'o' },
  binding: { type: 'string', short: 'b' },
  modules: { type: 'string', multiple: true },
  acct: { type: 'boolean' },
  store: { type: 'string' },
  prom: { type: 'string' },
  otlp: { type: 'string' },
  explore: { type: 'boolean' },
  functions: { type: 'string', multiple: true },
  port: { type: 'string' },
  pid: { type: 'string', short: 'p' },
} as const;

/** `mscope attach PID …` (and `mscope explore PID …`) take run's options but -p. */
const { pid: _pid, ...attachOptions } = RUN_OPTIONS;
export const ATTACH_OPTIONS = attachOptions;
/** What needs the load-time rewrite, which an attached process never gets. */
export const NOT_WITH_ATTACH = ['modules'] as const;

/** What a run's options tell every agent: one place, for a CMD started before compiling (run-start.ts) and for the run. */
export function agentOptionsOf(values: { binding?: string; modules?: string[] }, root: string): AgentOptions {
  return {
    root,
    ...(values.binding === undefined ? {} : { binding: values.binding as BindingKind }),
    ...(values.modules ? { modules: values.modules } : {}),
  };
}

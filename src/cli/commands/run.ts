import { resolve } from 'node:path';
import { BINDING_KINDS, type BindingKind } from '../../weaver/index.js';
import { parseOwn, printUsage, splitCommand, usage } from '../args.js';
import type { MonitorSpec } from '../protocol.js';
import { openOutput } from '../session/output.js';
import { trace } from '../session/trace.js';

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  monitor: { type: 'string', multiple: true },
  quiet: { type: 'boolean', short: 'q' },
  output: { type: 'string', short: 'o' },
  binding: { type: 'string', short: 'b' },
  modules: { type: 'string', multiple: true },
} as const;

/** `mscope run`: like `dtrace -c`, exits with CMD's status. */
export async function runCommand(args: readonly string[]): Promise<number> {
  const { own, command } = splitCommand(args, OPTIONS);
  const { values } = parseOwn('run', own, OPTIONS);
  if (values.help === true) return printUsage('run');
  if (command.length === 0) throw usage('mscope run: missing -- CMD');
  const binding = values.binding;
  if (binding !== undefined && !BINDING_KINDS.includes(binding as BindingKind)) {
    throw usage(`mscope run: unknown binding "${binding}"; expected one of ${BINDING_KINDS.join(', ')}`);
  }
  const cwd = process.cwd();
  const monitors: MonitorSpec[] = (values.monitor ?? []).map((file) => ({ kind: 'ts', name: file, spec: resolve(cwd, file) }));
  const out = openOutput(values.output);
  try {
    const result = await trace({
      command,
      cwd,
      monitors,
      options: {
        root: cwd,
        ...(binding === undefined ? {} : { binding: binding as BindingKind }),
        ...(values.modules ? { modules: values.modules } : {}),
      },
      out,
      quiet: values.quiet === true,
    });
    return result.failed && result.status === 0 ? 1 : result.status;
  } finally {
    out.close();
  }
}

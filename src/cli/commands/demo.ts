import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseOwn, printUsage } from '../args.js';
import { openOutput } from '../session/output.js';
import { trace } from '../session/trace.js';

/** examples/demo of this package, from dist/cli/commands. */
const DEMO_DIR = fileURLToPath(new URL('../../../examples/demo/', import.meta.url));

/** `mscope demo`: the order service under the example monitor, from the demo's own directory. */
export async function demoCommand(args: readonly string[]): Promise<number> {
  const { values } = parseOwn('demo', [...args], { help: { type: 'boolean', short: 'h' } });
  if (values.help === true) return printUsage('demo');
  const out = openOutput(undefined);
  const monitor = join(DEMO_DIR, 'monitor.ts');
  const result = await trace({
    command: [process.execPath, 'app.js'],
    cwd: DEMO_DIR,
    monitors: [{ kind: 'ts', name: 'examples/demo/monitor.ts', spec: monitor }],
    options: { root: DEMO_DIR },
    out,
    quiet: true,
  });
  return result.status;
}

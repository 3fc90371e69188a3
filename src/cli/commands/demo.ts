import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseOwn, printUsage } from '../args.js';
import { openOutput } from '../session/output.js';
import { trace } from '../session/trace.js';
import { encodeScript } from '../script/spec.js';
import { scriptSources } from '../script/sources.js';

/** examples/demo of this package, from dist/cli/commands. */
const DEMO_DIR = fileURLToPath(new URL('../../../examples/demo/', import.meta.url));

/**
 * `mscope demo`: the order service (an HTTP API and its client in one process) under the
 * example D program examples/demo/demo.d, from the demo's own directory.
 */
export async function demoCommand(args: readonly string[]): Promise<number> {
  const { values } = parseOwn('demo', [...args], { help: { type: 'boolean', short: 'h' } });
  if (values.help === true) return printUsage('demo');
  const out = openOutput(undefined);
  const sources = scriptSources(['-s', join(DEMO_DIR, 'demo.d')]).map((s) => ({ ...s, file: 'examples/demo/demo.d' }));
  process.stdout.write('$ mscope run -s examples/demo/demo.d -- node examples/demo/app.js\n');
  const result = await trace({
    command: [process.execPath, 'app.js'],
    cwd: DEMO_DIR,
    monitors: [{ kind: 'd', name: 'examples/demo/demo.d', spec: encodeScript({ sources, settings: [], quiet: false, format: 'text' }) }],
    options: { root: DEMO_DIR },
    out,
    quiet: true,
  });
  return result.status;
}

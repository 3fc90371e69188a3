import { fileURLToPath } from 'node:url';

/** The package's own source folder (src/ or dist/): frames under it are ours, not the program's. */
const OWN_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The JS stack of the probe firing, as DTrace prints ustack(): one frame per line, indented,
 * without microScope's own frames (the instrumented wrapper, the weaver, the clause).
 */
export function jsStack(depth: number): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = (depth > 0 ? depth : 20) + 30;
  const raw = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const frames: string[] = [];
  for (const line of raw.split('\n').slice(1)) {
    const f = line.trim().replace(/^at /, '');
    if (f.includes(OWN_ROOT) || f.includes('eval at ') || (f.startsWith('c') && /^c\d+ \(/.test(f))) continue;
    frames.push('              ' + f);
    if (depth > 0 && frames.length >= depth) break;
  }
  return '\n' + frames.join('\n') + '\n';
}

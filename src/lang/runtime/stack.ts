import { eventStack, isOwnFrame } from '../../core/index.js';
import { CLAUSES_FILE } from './helpers.js';

/**
 * The JS stack of the probe firing, as DTrace prints ustack(): one frame per line, indented
 * by `indent` spaces (the stackindent option), without microScope's own frames (the
 * instrumented wrapper, the weaver, the clause). An event that stands for another stack (a
 * profile sample) prints that one.
 */
export function jsStack(depth: number, indent: number): string {
  if (eventStack.frames !== null) return format(eventStack.frames, depth, indent);
  const raw = deepStack((depth > 0 ? depth : 20) + 30);
  const frames: string[] = [];
  for (const line of raw.split('\n').slice(1)) {
    const f = line.trim().replace(/^at /, '');
    if (isOwnFrame(f) || f.includes(CLAUSES_FILE)) continue;
    frames.push(f);
    if (depth > 0 && frames.length >= depth) break;
  }
  return format(frames, depth, indent);
}

/**
 * A stack of up to `limit` frames; of as many as Error.stackTraceLimit allows where the program
 * froze Error (--frozen-intrinsics, SES's lockdown).
 */
function deepStack(limit: number): string {
  const saved = Error.stackTraceLimit;
  if (!Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')?.writable) return new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const raw = new Error().stack ?? '';
  Error.stackTraceLimit = saved;
  return raw;
}

function format(frames: readonly string[], depth: number, indent: number): string {
  const shown = depth > 0 && frames.length > depth ? frames.slice(0, depth) : frames;
  const pad = ' '.repeat(Math.max(0, indent));
  return '\n' + shown.map((f) => pad + f).join('\n') + '\n';
}

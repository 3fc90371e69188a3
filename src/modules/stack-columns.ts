import { decodeShifts, originalColumn, type ShiftTable } from './shifts.js';
import { disguise } from './to-string.js';

/**
 * Stack frames with the columns the program sees untraced. A rewritten line's tokens after
 * an insertion move right (shifts.ts); V8 formats `err.stack` from CallSites whose methods
 * cannot be patched (non-writable, non-configurable), through Node's own
 * `Error.prepareStackTrace` (a plain function, `ErrorPrepareStackTrace`, since Node 20). That
 * function is replaced by one of the same name, length and text that hands Node's the same
 * trace with each frame on a moved position replaced by a CallSite-like object reporting the
 * untraced column. A program that installs its own `Error.prepareStackTrace` gets V8's raw
 * CallSites, as it would untraced, but with the traced columns (docs/CONFORMANCE.md).
 */

type Method = (this: unknown, ...args: unknown[]) => unknown;
type CallSite = Record<string, Method>;

const apply = Reflect.apply;
const getPrototypeOf = Object.getPrototypeOf;
const call = Function.prototype.call;
const lastIndexOf = call.bind(String.prototype.lastIndexOf) as (s: string, search: string) => number;
const indexOf = call.bind(String.prototype.indexOf) as (s: string, search: string) => number;
const slice = call.bind(String.prototype.slice) as (s: string, from: number, to?: number) => string;
const exec = call.bind(RegExp.prototype.exec) as (re: RegExp, s: string) => RegExpExecArray | null;

interface FileShifts {
  readonly table: ShiftTable;
  /** The module's inline source map was shifted: Node maps its frames when source maps are enabled. */
  readonly mapped: boolean;
}

/** By the name V8 gives the file in frames (a path for CommonJS, a URL for ES modules). */
const files = new Map<string, FileShifts>();

/** Called by a rewritten module's header (runtime.ts) when it moved columns. */
export function registerShifts(file: unknown, shifts: unknown): void {
  if (typeof file !== 'string' || typeof shifts !== 'string' || shifts === '') return;
  const mapped = shifts.startsWith('m');
  files.set(file, { table: decodeShifts(mapped ? shifts.slice(1) : shifts), mapped });
}

let callSiteProto: object | null = null;
let native: CallSite | null = null;
/** Asked of every frame of every formatted stack: a bound call allocates no argument array. */
let fileNameOf: (site: object) => unknown = () => undefined;

/** The CallSite prototype and its methods, taken from a trace before the program runs. */
function captureCallSite(): boolean {
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, trace) => trace;
  const trace = new Error().stack as unknown as object[];
  Error.prepareStackTrace = saved;
  if (!Array.isArray(trace) || trace.length === 0) return false;
  callSiteProto = getPrototypeOf(trace[0]) as object;
  native = {};
  for (const name of Object.getOwnPropertyNames(callSiteProto)) {
    const d = Object.getOwnPropertyDescriptor(callSiteProto, name)!;
    if (name !== 'constructor' && typeof d.value === 'function') native[name] = d.value as Method;
  }
  if (native.toString === undefined || native.getFileName === undefined || native.getColumnNumber === undefined) return false;
  fileNameOf = call.bind(native.getFileName) as (site: object) => unknown;
  return true;
}

/**
 * A frame on a moved position: every CallSite method answers as V8's does for the frame, except
 * the columns, the eval origin, and the text, which are the untraced ones.
 */
class MovedCallSite {
  constructor(
    readonly site: object,
    readonly column: number | null,
    readonly enclosingColumn: number | null,
    readonly evalOrigin: string | null,
  ) {}
}

function delegate(name: string): (this: MovedCallSite, ...args: unknown[]) => unknown {
  return function (this: MovedCallSite, ...args: unknown[]): unknown {
    return apply(native![name]!, this.site, args);
  };
}

function buildMovedPrototype(): void {
  const proto = MovedCallSite.prototype as unknown as Record<string, unknown>;
  for (const name in native!) proto[name] = delegate(name);
  proto.getColumnNumber = function (this: MovedCallSite): unknown {
    return this.column ?? apply(native!.getColumnNumber!, this.site, []);
  };
  if (native!.getEnclosingColumnNumber !== undefined) {
    proto.getEnclosingColumnNumber = function (this: MovedCallSite): unknown {
      return this.enclosingColumn ?? apply(native!.getEnclosingColumnNumber!, this.site, []);
    };
  }
  proto.getEvalOrigin = function (this: MovedCallSite): unknown {
    return this.evalOrigin ?? apply(native!.getEvalOrigin!, this.site, []);
  };
  proto.toString = function (this: MovedCallSite): string {
    return movedText(this);
  };
}

function movedText(m: MovedCallSite): string {
  let text = apply(native!.toString!, m.site, []) as string;
  if (m.evalOrigin !== null) {
    const origin = apply(native!.getEvalOrigin!, m.site, []) as string;
    const at = indexOf(text, origin);
    if (at >= 0) text = slice(text, 0, at) + m.evalOrigin + slice(text, at + origin.length);
  }
  if (m.column !== null) {
    const line = apply(native!.getLineNumber!, m.site, []) as number;
    const position = `:${line}:${apply(native!.getColumnNumber!, m.site, []) as number}`;
    const at = lastIndexOf(text, position);
    if (at >= 0) text = `${slice(text, 0, at)}:${line}:${m.column}${slice(text, at + position.length)}`;
  }
  return text;
}

function shiftsOf(file: unknown): FileShifts | undefined {
  if (typeof file !== 'string') return undefined;
  const f = files.get(file);
  // Node maps such a file's frames itself, through the source map the rewrite kept true.
  if (f !== undefined && f.mapped && process.sourceMapsEnabled) return undefined;
  return f;
}

/** `(FILE:LINE:COLUMN)` innermost in an eval origin (`eval at f (FILE:1:2)`, nested evals). */
const ORIGIN_POSITION = /\(([^()]*):(\d+):(\d+)\)/;

function movedOrigin(site: object): string | null {
  const origin = apply(native!.getEvalOrigin!, site, []);
  if (typeof origin !== 'string') return null;
  const m = exec(ORIGIN_POSITION, origin);
  if (m === null) return null;
  const pairs = shiftsOf(m[1])?.table.get(Number(m[2]));
  if (pairs === undefined) return null;
  const column = originalColumn(pairs, Number(m[3]));
  if (column === Number(m[3])) return null;
  return `${slice(origin, 0, m.index)}(${m[1]!}:${m[2]!}:${column})${slice(origin, m.index + m[0].length)}`;
}

function moved(site: object): MovedCallSite | null {
  const file = fileNameOf(site);
  // Eval code has no file name of its own; its origin may lie on a moved position.
  if (file === undefined && apply(native!.isEval!, site, []) === true) {
    const origin = movedOrigin(site);
    return origin === null ? null : new MovedCallSite(site, null, null, origin);
  }
  const f = shiftsOf(file);
  if (f === undefined) return null;
  const line = apply(native!.getLineNumber!, site, []) as number;
  const pairs = f.table.get(line);
  let column: number | null = null;
  if (pairs !== undefined) {
    const raw = apply(native!.getColumnNumber!, site, []) as number;
    const fixed = originalColumn(pairs, raw);
    if (fixed !== raw) column = fixed;
  }
  let enclosingColumn: number | null = null;
  if (native!.getEnclosingLineNumber !== undefined) {
    const enclosing = f.table.get(apply(native!.getEnclosingLineNumber, site, []) as number);
    if (enclosing !== undefined) {
      const raw = apply(native!.getEnclosingColumnNumber!, site, []) as number;
      const fixed = originalColumn(enclosing, raw);
      if (fixed !== raw) enclosingColumn = fixed;
    }
  }
  return column === null && enclosingColumn === null ? null : new MovedCallSite(site, column, enclosingColumn, null);
}

/** `trace` itself when no frame moved; else a copy with the moved frames replaced. */
function untracedTrace(trace: unknown): unknown {
  if (files.size === 0 || !Array.isArray(trace)) return trace;
  let out: unknown[] | null = null;
  for (let i = 0; i < trace.length; i++) {
    const site: unknown = trace[i];
    if (typeof site !== 'object' || site === null || getPrototypeOf(site) !== callSiteProto) continue;
    const m = moved(site);
    if (m === null) continue;
    if (out === null) {
      out = [];
      for (let j = 0; j < trace.length; j++) out[j] = trace[j];
    }
    out[i] = m;
  }
  return out ?? trace;
}

/** Whether the program froze Error before the replacement could go in: stacks then show the rewritten columns. */
export function stackColumnsFrozenOut(): boolean {
  return native === null && Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace')?.writable !== true;
}

/**
 * Replaces Node's `Error.prepareStackTrace` while it is Node's own; idempotent. Installed
 * with the rewrite, before the program runs, so the program only ever sees this one.
 */
export function installStackColumns(): void {
  const original = Error.prepareStackTrace as Method | undefined;
  if (typeof original !== 'function' || original.name !== 'ErrorPrepareStackTrace' || native !== null) return;
  // A program run with --frozen-intrinsics: Error cannot take another prepareStackTrace.
  if (Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace')?.writable !== true) return;
  if (!captureCallSite()) return;
  buildMovedPrototype();
  // A function, not a method: like Node's, it has a `prototype`.
  const replacement = function ErrorPrepareStackTrace(this: unknown, error: unknown, trace: unknown): unknown {
    return apply(original, this, [error, untracedTrace(trace)]);
  };
  disguise(replacement, original);
  Error.prepareStackTrace = replacement as typeof Error.prepareStackTrace;
}

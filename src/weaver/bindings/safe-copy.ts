import * as types from 'node:util/types';

export interface CopyLimits {
  /** Nesting depth below the copied value; deeper objects become "[Object]". */
  readonly depth: number;
  /** Properties and elements copied in total; the rest is cut. */
  readonly nodes: number;
  /** Characters kept of each string. */
  readonly strsize: number;
}

export const DEFAULT_COPY_LIMITS: CopyLimits = { depth: 3, nodes: 200, strsize: 256 };

/** What a copy holds, roughly, in bytes: for bounding what the message binding queues. */
export interface CopyMeter {
  bytes: number;
}

/** A node's own cost beside the strings it holds (a property slot, an element, a header). */
const NODE_BYTES = 16;

/**
 * A structured-clone-safe copy taken at the probe site that never runs application code:
 * only own data properties are read (getters show as "[Getter]"), proxies are not entered,
 * functions and symbols become text, and depth and size are bounded.
 */
export function safeCopy(value: unknown, limits: CopyLimits = DEFAULT_COPY_LIMITS, meter?: CopyMeter): unknown {
  const budget: Budget = { left: limits.nodes, bytes: 0 };
  const c = copy(value, limits, limits.depth, budget);
  if (meter !== undefined) meter.bytes += budget.bytes;
  return c;
}

interface Budget {
  left: number;
  bytes: number;
}

function copy(v: unknown, limits: CopyLimits, depth: number, budget: Budget): unknown {
  budget.bytes += NODE_BYTES;
  switch (typeof v) {
    case 'string': {
      const s = v.length > limits.strsize ? v.slice(0, limits.strsize) : v;
      budget.bytes += 2 * s.length;
      return s;
    }
    case 'function':
      return `[Function${v.name ? `: ${v.name}` : ''}]`;
    case 'symbol':
      return v.toString();
    case 'object':
      break;
    default:
      return v;
  }
  if (v === null) return null;
  if (types.isProxy(v)) return '[Proxy]';
  if (v instanceof Date) return new Date(Date.prototype.getTime.call(v));
  if (ArrayBuffer.isView(v)) {
    const bytes = new Uint8Array(v.buffer, v.byteOffset, Math.min(v.byteLength, limits.strsize));
    budget.bytes += bytes.byteLength;
    return new Uint8Array(bytes);
  }
  if (depth <= 0 || budget.left <= 0) return '[Object]';
  if (Array.isArray(v)) {
    const n = Math.min(v.length, budget.left);
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) {
      budget.left--;
      const d = Object.getOwnPropertyDescriptor(v, i);
      out.push(d === undefined ? undefined : 'value' in d ? copy(d.value, limits, depth - 1, budget) : '[Getter]');
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  if (v instanceof Error) {
    for (const k of ['name', 'message', 'stack']) {
      const d = findDataProperty(v, k);
      if (d !== undefined) out[k] = copy(d, limits, depth - 1, budget);
    }
  }
  for (const k of Object.keys(v)) {
    if (budget.left-- <= 0) break;
    const d = Object.getOwnPropertyDescriptor(v, k)!;
    budget.bytes += 2 * k.length;
    out[k] = 'value' in d ? copy(d.value, limits, depth - 1, budget) : '[Getter]';
  }
  return out;
}

/** An error's name lives on its prototype chain; read it without calling accessors. */
function findDataProperty(o: object, key: string): unknown {
  for (let p: object | null = o; p !== null; p = Object.getPrototypeOf(p) as object | null) {
    const d = Object.getOwnPropertyDescriptor(p, key);
    if (d !== undefined) return 'value' in d ? d.value : undefined;
  }
  return undefined;
}

import { types } from 'node:util';

export interface CopyLimits {
  /** Nesting depth below the copied value; deeper objects become "[Object]". */
  readonly depth: number;
  /** Properties and elements copied in total; the rest is cut. */
  readonly nodes: number;
  /** Characters kept of each string. */
  readonly strsize: number;
}

export const DEFAULT_COPY_LIMITS: CopyLimits = { depth: 3, nodes: 200, strsize: 256 };

/**
 * A structured-clone-safe copy taken at the probe site that never runs application code:
 * only own data properties are read (getters show as "[Getter]"), proxies are not entered,
 * functions and symbols become text, and depth and size are bounded.
 */
export function safeCopy(value: unknown, limits: CopyLimits = DEFAULT_COPY_LIMITS): unknown {
  const budget = { left: limits.nodes };
  return copy(value, limits, limits.depth, budget);
}

function copy(v: unknown, limits: CopyLimits, depth: number, budget: { left: number }): unknown {
  switch (typeof v) {
    case 'string':
      return v.length > limits.strsize ? v.slice(0, limits.strsize) : v;
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

import { DFault, toInt } from './values.js';

// D's string functions. Arguments arrive already converted to strings and integers.

export function substr(s: string, i: number | bigint, n?: number | bigint): string {
  let start = Number(i);
  if (start < 0) start = Math.max(0, s.length + start);
  if (n === undefined) return s.slice(start);
  const len = Number(n);
  return len <= 0 ? '' : s.slice(start, start + len);
}

export function index(s: string, t: string, from?: number | bigint): number {
  return s.indexOf(t, from === undefined ? 0 : Number(from));
}

export function rindex(s: string, t: string, from?: number | bigint): number {
  return s.lastIndexOf(t, from === undefined ? Infinity : Number(from));
}

export function strstr(s: string, t: string): string {
  const i = s.indexOf(t);
  return i < 0 ? '' : s.slice(i);
}

export function strchr(s: string, c: number | bigint): string {
  return strstr(s, String.fromCharCode(Number(c)));
}

export function strrchr(s: string, c: number | bigint): string {
  const i = s.lastIndexOf(String.fromCharCode(Number(c)));
  return i < 0 ? '' : s.slice(i);
}

export function lltostr(v: number | bigint, base?: number | bigint): string {
  const b = base === undefined ? 10 : Number(base);
  if (b < 2 || b > 36) throw new DFault('illegal-operation', `lltostr: bad base ${b}`);
  return v.toString(b);
}

export function strtoll(s: string, base?: number | bigint): number | bigint {
  const b = base === undefined ? 10 : Number(base);
  const n = parseInt(s, b);
  return Number.isNaN(n) ? 0 : toInt(n);
}

export function basename(s: string): string {
  if (s === '') return '.';
  const t = s.replace(/\/+$/, '');
  if (t === '') return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

export function dirname(s: string): string {
  const t = s.replace(/\/+$/, '');
  if (t === '') return s.startsWith('/') ? '/' : '.';
  const i = t.lastIndexOf('/');
  if (i < 0) return '.';
  return t.slice(0, i).replace(/\/+$/, '') || '/';
}

/**
 * `json(s, "a.b[2].c")`: the member at a path of a JSON document, as a string; objects and
 * arrays come back as JSON text. Bad JSON is a fault, a missing member is "".
 */
export function json(doc: string, path: string): string {
  let v: unknown;
  try {
    v = JSON.parse(doc);
  } catch {
    throw new DFault('invalid-json', 'json(): invalid JSON');
  }
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    const k = part.startsWith('[') ? Number(part.slice(1, -1)) : part;
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, k)) return '';
    v = (v as Record<string | number, unknown>)[k];
  }
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

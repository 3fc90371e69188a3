import { DFault, toInt } from './values.js';

// D's string functions. Arguments arrive already converted to strings and integers.

/**
 * DTrace's substr (dtrace.c, DIF_SUBR_SUBSTR): a negative index counts from the end and, when
 * it reaches before the start, shortens the count by as much; a negative count leaves that
 * many characters off the end; without a count, up to `strsize` characters.
 */
export function substr(s: string, i: number | bigint, n: number | bigint | undefined, strsize: number): string {
  const len = s.length;
  let index = Number(i);
  let remaining = n === undefined ? strsize : Number(n);
  if (index < 0) {
    index += len;
    if (index < 0 && index + remaining > 0) {
      remaining += index;
      index = 0;
    }
  }
  if (index >= len || index < 0) return '';
  if (remaining < 0) remaining += len - index;
  else if (index + remaining > strsize) remaining = strsize - index;
  return remaining <= 0 ? '' : s.slice(index, index + remaining);
}

/** index(s, t[, from]): as Perl's; a start before 0 is 0, past the end finds only "". */
export function index(s: string, t: string, from?: number | bigint): number {
  return s.indexOf(t, from === undefined ? 0 : Math.max(0, Math.min(s.length, Number(from))));
}

/** rindex(s, t[, from]): as Perl's; a start before 0 finds only "" (at 0), past the end is the end. */
export function rindex(s: string, t: string, from?: number | bigint): number {
  const start = from === undefined ? s.length : Number(from);
  if (start < 0) return t === '' ? 0 : -1;
  return s.lastIndexOf(t, Math.min(start, s.length));
}

/** `s[i]`: the character's code; 0 past its end up to `strsize`, a fault outside the string's buffer. */
export function charAt(s: string, i: number | bigint, strsize: number): number {
  const n = Number(i);
  if (n >= 0 && n < s.length) return s.charCodeAt(n);
  if (n >= 0 && n < strsize) return 0;
  throw new DFault('invalid-address', `invalid address: index ${String(i)} of a string of ${strsize} characters (strsize)`);
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

/**
 * lltostr(v[, base]) as dtrace.c does it: base 10 is signed, other bases show the 64-bit
 * pattern; base 16 is written with "0x" and base 8 with a leading "0".
 */
export function lltostr(v: number | bigint, base?: number | bigint): string {
  const b = base === undefined ? 10 : Number(base);
  if (!(b >= 2 && b <= 36)) throw new DFault('illegal-operation', `lltostr(): illegal base ${String(base)}`);
  const n = BigInt(v);
  if (b === 10) return n.toString();
  const digits = BigInt.asUintN(64, n).toString(b);
  if (b === 16) return '0x' + digits;
  return b === 8 && n !== 0n ? '0' + digits : digits;
}

export function strtoll(s: string, base?: number | bigint): number | bigint {
  const b = base === undefined ? 10 : Number(base);
  const n = parseInt(s, b);
  return Number.isNaN(n) ? 0 : toInt(n);
}

/**
 * cleanpath(s) as dtrace.c does it, lexically: `//` and `/./` are one `/`, `/../` removes the
 * component before it (a final `/..` keeps that component's `/`), and it stops at strsize - 5
 * characters.
 */
export function cleanpath(s: string, strsize: number): string {
  let out = '';
  let i = 0;
  const next = (): string => (i < s.length ? s[i++]! : (i++, ''));
  let c = next();
  // Stores `text` and the character read after it; false once that was the end of `s`.
  const keep = (text: string): boolean => {
    out += text + c;
    if (c === '') return false;
    c = next();
    return true;
  };
  while (out.length + 5 < strsize) {
    if (c !== '/') {
      if (keep('')) continue;
      break;
    }
    c = next();
    if (c === '/') continue;
    if (c !== '.') {
      if (keep('/')) continue;
      break;
    }
    c = next();
    if (c === '/') continue;
    if (c !== '.') {
      if (keep('/.')) continue;
      break;
    }
    c = next();
    if (c !== '/' && c !== '') {
      keep('/..');
      continue;
    }
    let j = out.length;
    while (j !== 0 && out[--j] !== '/');
    if (c === '') {
      out = out === '' ? '/' : out.slice(0, j + 1);
      break;
    }
    out = out.slice(0, j);
  }
  return out;
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

/** inet_ntoa: the dotted quad of 4 bytes in network order. */
export function inetNtoa(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/**
 * inet_ntoa6 as dtrace.c writes it: IPv4-mapped and -compatible addresses (but not `::` and
 * `::1`) as their dotted quad; otherwise hex groups without leading zeros, and the zero run
 * dtrace.c picks, scanning bytes (a single zero group at the very end is not one), as `::`.
 */
export function inetNtoa6(b: Uint8Array): string {
  const zeroHead = b.subarray(0, 10).every((x) => x === 0);
  const tail = ((b[12]! << 24) | (b[13]! << 16) | (b[14]! << 8) | b[15]!) >>> 0;
  if (zeroHead && b[10] === 0xff && b[11] === 0xff) return inetNtoa(b.subarray(12));
  if (zeroHead && b[10] === 0 && b[11] === 0 && tail > 1) return inetNtoa(b.subarray(12));
  let first = -1;
  let tryzero = -1;
  let numzero = 1;
  for (let i = 0; i < 16; i++) {
    if (b[i] === 0 && tryzero === -1 && i % 2 === 0) {
      tryzero = i;
      continue;
    }
    if (tryzero !== -1 && (b[i] !== 0 || i === 15)) {
      if (i - tryzero <= numzero) {
        tryzero = -1;
        continue;
      }
      first = tryzero;
      numzero = i - (i % 2) - tryzero;
      tryzero = -1;
      if (b[i] === 0 && i === 15) numzero += 2;
    }
  }
  const hex = (from: number, to: number): string => {
    const g: string[] = [];
    for (let i = from; i < to; i += 2) g.push(((b[i]! << 8) | b[i + 1]!).toString(16));
    return g.join(':');
  };
  if (first < 0) return hex(0, 16);
  return `${hex(0, first)}::${hex(first + numzero, 16)}`;
}

/** AF_INET and AF_INET6 as DTrace for Linux defines them. */
export const AF_INET = 2;
export const AF_INET6 = 10;

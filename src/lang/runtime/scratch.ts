import type { ScalarKind } from '../ctypes.js';
import { DFault } from './values.js';

/** Where scratch addresses live: far from 0 and from small integers, below 2^53. */
const REGION = 2 ** 45;
/** Each clause firing's scratch starts at its own address, so a pointer kept from an earlier firing faults. */
const SPAN = 2 ** 24;
const GENERATIONS = 2 ** 20;
export const MAX_SCRATCH = SPAN;
/** Where global D variables that have an address live (addressed.ts), below every clause's scratch. */
export const STATIC_BASE = 2 ** 44;

/**
 * Where `self->` and `this->` variables in memory (addressed.ts) have their bytes: each its own
 * span, never reused while the run lasts, so a pointer kept past its variable's life faults.
 */
const VARS_BASE = 2 ** 46;
const VAR_SPAN = 2 ** 28;
const VAR_SPANS = Math.floor((2 ** 53 - VARS_BASE) / VAR_SPAN);

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function scalarSize(kind: ScalarKind): number {
  return Number(kind[1]);
}

const encoder = new TextEncoder();
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A string's bytes: its characters when all are below 256 (as `\\xHH` escapes make them), else UTF-8. */
export function stringBytes(s: string): Uint8Array {
  return /^[\0-\xff]*$/.test(s) ? Uint8Array.from(s, (c) => c.charCodeAt(0)) : encoder.encode(s);
}

/** Bytes read back as a string: UTF-8 when they are valid UTF-8, else one character per byte. */
function bytesString(b: Uint8Array): string {
  try {
    return utf8.decode(b);
  } catch {
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
  }
}

/**
 * Scratch memory (alloca, bcopy, copyinto), as DTrace gives each clause firing: allocated
 * from a buffer of `scratchsize` bytes and gone when the clause ends. An address is an
 * integer, so pointer arithmetic is integer arithmetic; reading or writing outside what the
 * current clause allocated is a fault (invalid address), as DTrace reports it.
 */
export class Scratch {
  /** Allocated by the first clause that uses scratch: most programs never do. */
  private bytes = new Uint8Array(0);
  private base = REGION;
  private top = 0;
  private gen = 0;
  /** The global D variables that live in memory: one region for the whole run, at STATIC_BASE. */
  private statics = new Uint8Array(0);

  /** The bytes of `self->` and `this->` variables in memory that have an address, by it; gone with the variable. */
  private readonly vars = new Map<number, WeakRef<Uint8Array>>();
  private readonly varAddress = new WeakMap<Uint8Array, number>();
  private nextVar = 0;
  private readonly collected = new FinalizationRegistry<number>((address) => this.vars.delete(address));

  constructor(readonly size: number) {}

  /** The address of a `self->` or `this->` variable's bytes: its own span, given the first time it is asked for. */
  addressOf(bytes: Uint8Array): number {
    let address = this.varAddress.get(bytes);
    if (address !== undefined) return address;
    address = VARS_BASE + this.nextVar * VAR_SPAN;
    this.nextVar = (this.nextVar + 1) % VAR_SPANS;
    this.varAddress.set(bytes, address);
    this.vars.set(address, new WeakRef(bytes));
    this.collected.register(bytes, address, bytes);
    return address;
  }

  /** A `this->` variable's bytes at the end of their firing: a pointer to them faults from now on, not only once they are collected. */
  release(bytes: unknown): void {
    if (!(bytes instanceof Uint8Array)) return;
    const address = this.varAddress.get(bytes);
    if (address === undefined) return;
    this.vars.delete(address);
    this.varAddress.delete(bytes);
    this.collected.unregister(bytes);
  }

  /** The program's static region is `size` bytes, zeroed as D's variables start. */
  setStatics(size: number): void {
    if (this.statics.length < size) this.statics = new Uint8Array(size);
  }

  /** A clause that uses scratch starts: what earlier firings allocated is freed. */
  begin(): void {
    if (this.bytes.length === 0 && this.size > 0) this.bytes = new Uint8Array(Math.min(this.size, MAX_SCRATCH));
    this.gen = (this.gen + 1) % GENERATIONS;
    this.base = REGION + this.gen * SPAN;
    this.top = 0;
  }

  alloca(n: number | bigint): number {
    const size = Number(n);
    if (!(size >= 0)) throw outOfScratch(n, this.bytes.length);
    // Allocations start 8-byte aligned, as DTrace's; the padding before one is not part of any.
    const start = Math.ceil(this.top / 8) * 8;
    if (start + size > this.bytes.length) throw outOfScratch(n, this.bytes.length);
    this.bytes.fill(0, this.top, start + size);
    this.top = start + size;
    return this.base + start;
  }

  /** Whether `v` is an address inside this clause's scratch or a global variable's memory. */
  holds(v: unknown): boolean {
    return this.region(v) !== null;
  }

  /** The allocated bytes [addr, addr + n), or a fault. */
  view(addr: unknown, n: number): Uint8Array {
    const r = this.region(addr);
    if (r === null || !(n >= 0) || r.off + n > r.end) throw invalidAddress(addr);
    return r.bytes.subarray(r.off, r.off + n);
  }

  /** A global in memory's bytes as one character each, as GlobalsSync ships it between processes. */
  bytesAt(addr: number, size: number): string {
    return Buffer.from(this.view(addr, size)).toString('latin1');
  }

  /** Sets a global in memory from what bytesAt gave in another process. */
  setBytesAt(addr: number, bytes: unknown): void {
    if (typeof bytes !== 'string') return;
    const b = Buffer.from(bytes, 'latin1');
    this.view(addr, b.length).set(b);
  }

  /** The memory `addr` is in and its offset there: this clause's allocations, the static region, or a variable's bytes. */
  private region(addr: unknown): { bytes: Uint8Array; off: number; end: number } | null {
    const a = typeof addr === 'bigint' ? Number(addr) : typeof addr === 'number' ? addr : NaN;
    const off = a - this.base;
    if (off >= 0 && off < this.top) return { bytes: this.bytes, off, end: this.top };
    const s = a - STATIC_BASE;
    if (s >= 0 && s < this.statics.length) return { bytes: this.statics, off: s, end: this.statics.length };
    if (a >= VARS_BASE && this.vars.size > 0) {
      const start = a - ((a - VARS_BASE) % VAR_SPAN);
      const bytes = this.vars.get(start)?.deref();
      if (bytes !== undefined && a - start < bytes.length) return { bytes, off: a - start, end: bytes.length };
    }
    return null;
  }

  /**
   * `*p` of a scalar: the value of `kind` (`i4` a signed 4-byte integer, `u8` an unsigned
   * 8-byte one, `f8` a double...) at a scratch address, little-endian as on x86 and arm64; a
   * 64-bit integer is a number while it is a safe integer, else a bigint.
   */
  load(addr: unknown, kind: ScalarKind): number | bigint {
    const size = scalarSize(kind);
    const b = this.view(addr, size);
    const d = new DataView(b.buffer, b.byteOffset, size);
    switch (kind) {
      case 'i1':
        return d.getInt8(0);
      case 'u1':
        return d.getUint8(0);
      case 'i2':
        return d.getInt16(0, true);
      case 'u2':
        return d.getUint16(0, true);
      case 'i4':
        return d.getInt32(0, true);
      case 'u4':
        return d.getUint32(0, true);
      case 'f4':
        return d.getFloat32(0, true);
      case 'f8':
        return d.getFloat64(0, true);
      default: {
        const v = kind === 'i8' ? d.getBigInt64(0, true) : d.getBigUint64(0, true);
        return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v;
      }
    }
  }

  /** `*p = v` of a scalar: `v`, already of the pointee's type, stored as `load` reads it. */
  store(addr: unknown, kind: ScalarKind, v: number | bigint): number | bigint {
    const size = scalarSize(kind);
    const b = this.view(addr, size);
    const d = new DataView(b.buffer, b.byteOffset, size);
    const n = typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : v;
    switch (kind) {
      case 'i1':
      case 'u1':
        d.setUint8(0, n & 0xff);
        return v;
      case 'i2':
      case 'u2':
        d.setUint16(0, n & 0xffff, true);
        return v;
      case 'i4':
      case 'u4':
        d.setUint32(0, n >>> 0, true);
        return v;
      case 'f4':
        d.setFloat32(0, Number(v), true);
        return v;
      case 'f8':
        d.setFloat64(0, Number(v), true);
        return v;
      default:
        d.setBigUint64(0, BigInt.asUintN(64, typeof v === 'bigint' ? v : BigInt(Math.trunc(v))), true);
        return v;
    }
  }

  /**
   * A bit-field in memory: `bits` bits from bit `first` of the little-endian storage unit of
   * `size` bytes at `addr` (C's layout, as parse-types.ts lays it out), sign-extended when signed.
   */
  loadBits(addr: unknown, size: number, first: number, bits: number, signed: boolean): number | bigint {
    const unit = BigInt.asUintN(size * 8, BigInt(this.load(addr, `u${size}` as ScalarKind)));
    const raw = BigInt.asUintN(bits, unit >> BigInt(first));
    const v = signed ? BigInt.asIntN(bits, raw) : raw;
    return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v;
  }

  /** Stores the low `bits` bits of `v` in a bit-field (the unit's other bits kept); what the field then holds. */
  storeBits(addr: unknown, size: number, first: number, bits: number, signed: boolean, v: number | bigint): number | bigint {
    const kind = `u${size}` as ScalarKind;
    const unit = BigInt.asUintN(size * 8, BigInt(this.load(addr, kind)));
    const mask = ((1n << BigInt(bits)) - 1n) << BigInt(first);
    const value = BigInt.asUintN(bits, typeof v === 'bigint' ? v : BigInt(Math.trunc(v))) << BigInt(first);
    this.store(addr, kind, (unit & ~mask) | value);
    return this.loadBits(addr, size, first, bits, signed);
  }

  /**
   * `n` bytes of what D reads as memory: this clause's scratch at an address, a string's bytes
   * (with its NUL, zero-padded to `n`), or a byte array of the program (a Buffer).
   */
  read(src: unknown, n: number): Uint8Array {
    if (typeof src === 'string') {
      const out = new Uint8Array(n);
      out.set(stringBytes(src).subarray(0, n));
      return out;
    }
    if (ArrayBuffer.isView(src)) {
      const b = new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
      if (n > b.length) throw invalidAddress(src);
      return b.subarray(0, n);
    }
    return this.view(src, n);
  }

  /**
   * A `string` in memory (a member or element of one in memory, `*p` of a `string *`): its
   * bytes, cut to leave a NUL within `size` (the type's, strsize), the rest zeroed, as
   * DTrace copies a string into a `char [strsize]`. Returns the string as stored.
   */
  storeString(addr: unknown, s: string, size: number): string {
    const b = this.view(addr, size);
    b.fill(0);
    b.set(stringBytes(s).subarray(0, size - 1));
    return this.string(addr, size);
  }

  /** The NUL-terminated string at a scratch address, at most `max` characters. */
  string(addr: unknown, max: number): string {
    const r = this.region(addr);
    if (r === null) throw invalidAddress(addr);
    const end = Math.min(r.end, r.off + max);
    let i = r.off;
    while (i < end && r.bytes[i] !== 0) i++;
    return bytesString(r.bytes.subarray(r.off, i));
  }
}

function outOfScratch(n: number | bigint, size: number): DFault {
  return new DFault('out-of-scratch', `out of scratch space in alloca(${String(n)}) (scratchsize is ${size})`);
}

export function invalidAddress(addr: unknown): DFault {
  const text = typeof addr === 'number' || typeof addr === 'bigint' ? '0x' + BigInt.asUintN(64, BigInt(addr)).toString(16) : typeof addr;
  return new DFault('invalid-address', `invalid address (${text})`);
}

/** DTrace's hex dump of tracemem and rawbytes (dt_consume.c, dt_print_rawbytes). */
export function rawbytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return '';
  const margin = '     ';
  let out = `\n${margin}      `;
  for (let i = 0; i < 16; i++) out += '  ' + '0123456789abcdef'[i];
  out += '  0123456789abcdef\n';
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, i + 16);
    out += margin + i.toString(16).padStart(5) + ':';
    for (const b of row) out += ' ' + b.toString(16).padStart(2, '0');
    out += '   '.repeat(16 - row.length) + '  ';
    for (const b of row) out += b < 0x20 || b > 0x7e ? '.' : String.fromCharCode(b);
    out += '\n';
  }
  return out;
}

import type { Probe, ProbeEvent } from '../../core/index.js';
import { Rec, RecordFlag, RecordKind, Tag, TRUNCATED, UnsupportedKind, VALUE_HEADER_WORDS, roundWords } from '../../core/record.js';

/** Typed views over one buffer: the ring's SharedArrayBuffer or a message batch. */
export interface RecordViews {
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly i64: BigInt64Array;
  readonly u8: Buffer;
}

/** Receives objects the message binding copies beside the record; returns their index. */
export interface ObjectSink {
  add(value: unknown): number;
}

export const DEFAULT_STRSIZE = 256;
/** Probe names are never truncated below this. */
const NAME_BYTES = 1024;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/**
 * Encodes probe events and probe definitions in the layout of core/record.ts. Sizes are
 * computed first (strings at their worst case, capped at `strsize`) so the caller can
 * reserve space, then the record is written in place. One instance per producing thread
 * and destination; `objects` is null for shared memory, where objects are not copied.
 */
export class RecordWriter {
  /**
   * False once the remote monitor has said it never reads `timestamp` or `elapsed`: records
   * then leave out the time fields (the reader gives 0) and the probe site does not read the
   * clock (about 25 ns of ~115, perf).
   */
  timestamps = true;

  constructor(
    readonly strsize: number = DEFAULT_STRSIZE,
    private readonly objects: ObjectSink | null = null,
    private readonly copyThis = false,
  ) {}

  /**
   * What an event's error is shipped as, read once by `eventWords` for `writeEvent`: an
   * error's `name` and `message` may be getters, and a second read could be longer than the
   * space reserved for the first.
   */
  private error: unknown = undefined;

  /**
   * The size of an event's record in words. Small enough for V8 to inline at the probe site,
   * and sizing values in a call only when there are any (most entries of monitors that read
   * no args have none): `eventWords` inlined took the budget V8 then had no room left for
   * the ring's `reserve` (shm per event 47.4 against 43.9 ns, side by side).
   */
  recordWords(ev: ProbeEvent): number {
    if (ev.args.length === 0 && ev.retval === undefined && ev.error === undefined && (!this.copyThis || ev.thisArg === undefined))
      return this.timestamps ? Rec.TimedValues : Rec.Values;
    return this.eventWords(ev);
  }

  private eventWords(ev: ProbeEvent): number {
    let n = this.timestamps ? Rec.TimedValues : Rec.Values;
    const args = ev.args;
    for (let i = 0; i < args.length; i++) n += this.valueWords(args[i], this.strsize);
    if (this.copyThis && ev.thisArg !== undefined) n += this.valueWords(ev.thisArg, this.strsize);
    if (ev.retval !== undefined) n += this.valueWords(ev.retval, this.strsize);
    if (ev.error !== undefined) {
      this.error = this.errorValue(ev.error);
      n += this.valueWords(this.error, this.strsize);
    }
    return n;
  }

  /** Writes everything but word 0, which the caller stores last to publish the record. */
  writeEvent(v: RecordViews, index: number, ev: ProbeEvent, linkId: number): void {
    const i32 = v.i32;
    const f64 = v.f64;
    const args = ev.args;
    let flags = 0;
    i32[index + Rec.Probe] = ev.probe.id;
    i32[index + Rec.Tid] = ev.tid;
    i32[index + Rec.Link] = linkId;
    f64[(index + Rec.Activity) >> 1] = ev.activity;
    let at = index + Rec.Values;
    if (this.timestamps) {
      flags = RecordFlag.Timed;
      f64[(index + Rec.Timestamp) >> 1] = ev.timestamp;
      f64[(index + Rec.Elapsed) >> 1] = ev.entry === null ? 0 : ev.elapsed;
      at = index + Rec.TimedValues;
    }
    for (let i = 0; i < args.length; i++) at = this.writeValue(v, at, args[i], this.strsize);
    if (this.copyThis && ev.thisArg !== undefined) {
      flags |= RecordFlag.This;
      at = this.writeValue(v, at, ev.thisArg, this.strsize);
    }
    if (ev.retval !== undefined) {
      flags |= RecordFlag.Retval;
      at = this.writeValue(v, at, ev.retval, this.strsize);
    }
    if (ev.error !== undefined) {
      flags |= RecordFlag.Error;
      this.writeValue(v, at, this.error, this.strsize);
      this.error = undefined;
    }
    i32[index + Rec.Kind] = RecordKind.Event | (flags << 8) | (args.length << 16);
  }

  defWords(p: Probe): number {
    return (
      Rec.Values +
      this.valueWords(p.provider, NAME_BYTES) +
      this.valueWords(p.module, NAME_BYTES) +
      this.valueWords(p.func, NAME_BYTES) +
      this.valueWords(p.name, NAME_BYTES)
    );
  }

  writeDef(v: RecordViews, index: number, p: Probe, tid: number): void {
    const i32 = v.i32;
    i32[index + Rec.Kind] = RecordKind.ProbeDef | (4 << 16);
    i32[index + Rec.Probe] = p.id;
    i32[index + Rec.Tid] = tid;
    let at = index + Rec.Values;
    at = this.writeValue(v, at, p.provider, NAME_BYTES);
    at = this.writeValue(v, at, p.module, NAME_BYTES);
    at = this.writeValue(v, at, p.func, NAME_BYTES);
    this.writeValue(v, at, p.name, NAME_BYTES);
  }

  /** Shared memory carries an error as its text; the message binding copies the object. */
  private errorValue(e: unknown): unknown {
    if (this.objects !== null || typeof e !== 'object' || e === null) return e;
    return e instanceof Error ? `${e.name}: ${e.message}` : e;
  }

  private valueWords(x: unknown, strsize: number): number {
    switch (typeof x) {
      case 'number':
        return VALUE_HEADER_WORDS + 2;
      case 'string':
        return VALUE_HEADER_WORDS + roundWords(Math.min(strsize, x.length * 3));
      case 'bigint':
        return x >= I64_MIN && x <= I64_MAX ? VALUE_HEADER_WORDS + 2 : VALUE_HEADER_WORDS + roundWords(x.toString().length);
      default:
        return VALUE_HEADER_WORDS;
    }
  }

  private writeValue(v: RecordViews, at: number, x: unknown, strsize: number): number {
    const i32 = v.i32;
    switch (typeof x) {
      case 'number':
        i32[at] = Tag.Number;
        v.f64[(at + 2) >> 1] = x;
        return at + 4;
      case 'string':
        return writeString(v, at, x, Math.min(strsize, x.length * 3), Tag.String);
      case 'boolean':
        i32[at] = Tag.Bool;
        i32[at + 1] = x ? 1 : 0;
        return at + 2;
      case 'undefined':
        i32[at] = Tag.Nullish;
        i32[at + 1] = 0;
        return at + 2;
      case 'bigint':
        if (x >= I64_MIN && x <= I64_MAX) {
          i32[at] = Tag.BigInt;
          v.i64[(at + 2) >> 1] = x;
          return at + 4;
        }
        return writeString(v, at, x.toString(), Infinity, Tag.BigIntText);
      case 'object':
        if (x === null) {
          i32[at] = Tag.Nullish;
          i32[at + 1] = 1;
        } else if (this.objects !== null) {
          i32[at] = Tag.ObjectRef;
          i32[at + 1] = this.objects.add(x);
        } else {
          i32[at] = Tag.Unsupported;
          i32[at + 1] = UnsupportedKind.Object;
        }
        return at + 2;
      case 'function':
        i32[at] = Tag.Unsupported;
        i32[at + 1] = UnsupportedKind.Function;
        return at + 2;
      default:
        i32[at] = Tag.Unsupported;
        i32[at + 1] = UnsupportedKind.Symbol;
        return at + 2;
    }
  }
}

/** Short ASCII strings are copied by a loop, cheaper than a call into Buffer#write. */
function writeString(v: RecordViews, at: number, s: string, maxBytes: number, tag: number): number {
  const start = (at + 2) << 2;
  const limit = maxBytes === Infinity ? s.length : maxBytes;
  let n = 0;
  if (s.length <= 64) {
    const u8 = v.u8;
    const end = s.length < limit ? s.length : limit;
    for (; n < end; n++) {
      const c = s.charCodeAt(n);
      if (c >= 0x80) break;
      u8[start + n] = c;
    }
    if (n < end) n = v.u8.write(s, start, limit, 'utf8');
  } else {
    n = v.u8.write(s, start, limit, 'utf8');
  }
  const truncated = n < s.length || (n === limit && limit < Buffer.byteLength(s));
  v.i32[at] = truncated ? tag | TRUNCATED : tag;
  v.i32[at + 1] = n;
  return at + 2 + roundWords(n);
}

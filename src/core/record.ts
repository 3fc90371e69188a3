/**
 * The one layout of the shared-memory ring and of message batches (CONVENTIONS item 5).
 * All offsets are in 32-bit words. A ring buffer is `CONTROL_WORDS` control words
 * followed by the data region; records start on 8-byte boundaries so f64 fields align.
 */

/**
 * Control slots at the start of a ring's SharedArrayBuffer (Int32 indexes). The write and
 * read cursors sit on separate 64-byte cache lines: sharing one cost the producer about
 * 150 ns per event while the consumer ran (test/fixtures/weaver/measure-bindings.ts).
 */
export const Ctl = {
  /** Words reserved so far by producers (wraps at 2^32; position = value & mask). */
  Write: 0,
  /** Words consumed so far by the consumer. */
  Read: 16,
  /** Data region size in words (a power of two). */
  Capacity: 32,
  /**
   * 0: any number of producers (each reservation a compare-and-swap). Else one producer only:
   * -1 until a producer claims the ring, then that producer's threadId + 1.
   */
  Producer: 33,
  /** First of `DROP_SLOTS` pairs [threadId + 1, drops]: per producing thread. */
  Drops: 48,
} as const;

export const DROP_SLOTS = 60;
/** Control region size in words; keeps the data region 8-byte aligned. */
export const CONTROL_WORDS = Ctl.Drops + DROP_SLOTS * 2 + 8;

/**
 * Word offsets inside a record. Word 0 is written last: 0 = not committed yet. The time
 * fields come last in the header and only in records flagged `Timed`: a monitor that never
 * reads the time gets 8-word headers (a count with no arguments: 8 words, not 12).
 */
export const Rec = {
  /** Record length in words; negative marks padding (skip that many words). */
  Length: 0,
  /** kind | flags << 8 | value count << 16 */
  Kind: 1,
  Probe: 2,
  Tid: 3,
  /** f64 activity id */
  Activity: 4,
  /** link id of the producing link */
  Link: 6,
  /** First value of a definition and of an event without `Timed`; each value is [tag word, aux word] followed by its payload. */
  Values: 8,
  /** f64 ns; only with `Timed` (else the event's timestamp is 0) */
  Timestamp: 8,
  /** f64 ns since the entry of the same call (return/error), else 0; only with `Timed` */
  Elapsed: 10,
  /** First value of a `Timed` event. */
  TimedValues: 12,
} as const;

export const RecordKind = {
  Event: 1,
  /** Defines probe `Probe` of thread `Tid`: values are provider, module, func, name. */
  ProbeDef: 2,
  /** Defines interned string `aux` of thread `Tid`: one string value. */
  StringDef: 3,
} as const;

/** Event flags: whether the header has the time fields, and which optional values follow the arguments, in this order. */
export const RecordFlag = {
  This: 1,
  Retval: 2,
  Error: 4,
  Timed: 8,
} as const;

/** Value tags (low byte of a value's tag word). */
export const Tag = {
  /** aux unused; f64 payload (2 words) */
  Number: 1,
  /** aux unused; i64 payload (2 words) */
  BigInt: 2,
  /** aux 0 or 1 */
  Bool: 3,
  /** aux 0 = undefined, 1 = null */
  Nullish: 4,
  /** aux = UTF-8 byte length; payload padded to 8 bytes. Tag bit 8 set when truncated. */
  String: 5,
  /** aux = interned id (a StringDef record of the same thread came earlier) */
  StringId: 6,
  /** aux = UTF-8 byte length of the decimal digits of a bigint outside i64 */
  BigIntText: 7,
  /** aux = index into the batch's side array of copied objects (message binding only) */
  ObjectRef: 8,
  /** Not copied. aux = UnsupportedKind */
  Unsupported: 9,
} as const;

export const TRUNCATED = 1 << 8;

export const UnsupportedKind = { Object: 0, Function: 1, Symbol: 2 } as const;

/** Size of one value without payload, in words. */
export const VALUE_HEADER_WORDS = 2;

export function roundWords(bytes: number): number {
  return ((bytes + 7) >>> 3) << 1;
}

export function loadWord(i32: Int32Array, index: number): number {
  return Atomics.load(i32, index);
}

export function storeWord(i32: Int32Array, index: number, value: number): void {
  Atomics.store(i32, index, value);
}

export function casWord(i32: Int32Array, index: number, expected: number, value: number): number {
  return Atomics.compareExchange(i32, index, expected, value);
}

export function addWord(i32: Int32Array, index: number, delta: number): number {
  return Atomics.add(i32, index, delta);
}

import { Rec, RecordFlag, RecordKind, Tag, TRUNCATED, UnsupportedKind, roundWords } from '../../core/record.js';
import type { RecordViews } from './record-writer.js';

/** What a remote monitor sees of a probe: its id (per thread) and its four-part name. */
export interface RemoteProbe {
  readonly id: number;
  readonly provider: string;
  readonly module: string;
  readonly func: string;
  readonly name: string;
}

/** Stands for a value the binding does not copy (objects in shared memory, functions, symbols). */
export class Unsupported {
  constructor(readonly kind: 'object' | 'function' | 'symbol') {}
  toString(): string {
    return `<${this.kind}: not copied>`;
  }
}

/** A decoded event: the field names of ProbeEvent, with copies instead of live values. */
export class RemoteEvent {
  constructor(
    readonly probe: RemoteProbe,
    readonly args: unknown[],
    readonly timestamp: number,
    readonly tid: number,
    readonly activity: number,
    readonly elapsed: number,
    readonly thisArg: unknown,
    readonly retval: unknown,
    readonly error: unknown,
    readonly link: number,
    /** Which string values were cut at `strsize` (by position in args), or null. */
    readonly truncated: number[] | null,
  ) {}
}

const UNSUPPORTED = [new Unsupported('object'), new Unsupported('function'), new Unsupported('symbol')] as const;
const UNKNOWN_PROBE = (tid: number, id: number): RemoteProbe => ({
  id,
  provider: '?',
  module: '?',
  func: `thread ${tid} probe ${id}`,
  name: '?',
});

/**
 * Decodes records. Probe definitions arrive as records ahead of the first event of each
 * probe from each thread (same producer, so ring order guarantees it) and are kept here.
 */
export class RecordReader {
  private readonly probes = new Map<number, Map<number, RemoteProbe>>();
  private truncated: number[] | null = null;
  private last: RemoteProbe | null = null;
  private lastTid = -1;
  private lastId = -1;

  /** Forgets a producer's definitions: its next events re-send them (restart, new batch). */
  reset(): void {
    this.probes.clear();
    this.last = null;
  }

  /** Returns the event, or null for a definition record. */
  read(v: RecordViews, index: number, objects: readonly unknown[] | null = null): RemoteEvent | null {
    const i32 = v.i32;
    const kindWord = i32[index + Rec.Kind]!;
    const kind = kindWord & 0xff;
    const tid = i32[index + Rec.Tid]!;
    const id = i32[index + Rec.Probe]!;
    if (kind === RecordKind.ProbeDef) {
      const names: unknown[] = [];
      let at = index + Rec.Values;
      for (let i = 0; i < 4; i++) at = this.readValue(v, at, names, objects);
      let byId = this.probes.get(tid);
      if (byId === undefined) this.probes.set(tid, (byId = new Map()));
      this.last = null;
      byId.set(id, { id, provider: String(names[0]), module: String(names[1]), func: String(names[2]), name: String(names[3]) });
      return null;
    }
    if (kind !== RecordKind.Event) return null;
    const flags = (kindWord >>> 8) & 0xff;
    const argc = kindWord >>> 16;
    const args: unknown[] = [];
    this.truncated = null;
    const timed = (flags & RecordFlag.Timed) !== 0;
    let at = index + (timed ? Rec.TimedValues : Rec.Values);
    for (let i = 0; i < argc; i++) at = this.readValue(v, at, args, objects);
    let thisArg: unknown;
    let retval: unknown;
    let error: unknown;
    // Most events (entry probes) carry none of these: no array for them.
    if ((flags & ~RecordFlag.Timed) !== 0) {
      const extra: unknown[] = [];
      if ((flags & RecordFlag.This) !== 0) at = this.readValue(v, at, extra, objects);
      thisArg = (flags & RecordFlag.This) !== 0 ? extra[0] : undefined;
      if ((flags & RecordFlag.Retval) !== 0) {
        at = this.readValue(v, at, extra, objects);
        retval = extra[extra.length - 1];
      }
      if ((flags & RecordFlag.Error) !== 0) {
        this.readValue(v, at, extra, objects);
        error = extra[extra.length - 1];
      }
    }
    const f64 = v.f64;
    return new RemoteEvent(
      this.probe(tid, id),
      args,
      timed ? f64[(index + Rec.Timestamp) >> 1]! : 0,
      tid,
      f64[(index + Rec.Activity) >> 1]!,
      timed ? f64[(index + Rec.Elapsed) >> 1]! : 0,
      thisArg,
      retval,
      error,
      i32[index + Rec.Link]!,
      this.truncated,
    );
  }

  /** The definition of probe `id` of thread `tid`; the last one found is kept, as events of one probe come in runs. */
  private probe(tid: number, id: number): RemoteProbe {
    if (id === this.lastId && tid === this.lastTid && this.last !== null) return this.last;
    const p = this.probes.get(tid)?.get(id);
    if (p === undefined) return UNKNOWN_PROBE(tid, id);
    this.lastTid = tid;
    this.lastId = id;
    return (this.last = p);
  }

  private readValue(v: RecordViews, at: number, out: unknown[], objects: readonly unknown[] | null): number {
    const tagWord = v.i32[at]!;
    const aux = v.i32[at + 1]!;
    switch (tagWord & 0xff) {
      case Tag.Number:
        out.push(v.f64[(at + 2) >> 1]);
        return at + 4;
      case Tag.BigInt:
        out.push(v.i64[(at + 2) >> 1]);
        return at + 4;
      case Tag.Bool:
        out.push(aux === 1);
        return at + 2;
      case Tag.Nullish:
        out.push(aux === 1 ? null : undefined);
        return at + 2;
      case Tag.String:
      case Tag.BigIntText: {
        const start = (at + 2) << 2;
        const s = v.u8.toString('utf8', start, start + aux);
        if ((tagWord & TRUNCATED) !== 0) (this.truncated ??= []).push(out.length);
        out.push((tagWord & 0xff) === Tag.String ? s : BigInt(s));
        return at + 2 + roundWords(aux);
      }
      case Tag.ObjectRef:
        out.push(objects === null ? UNSUPPORTED[UnsupportedKind.Object] : objects[aux]);
        return at + 2;
      case Tag.Unsupported:
        out.push(UNSUPPORTED[aux as 0 | 1 | 2] ?? UNSUPPORTED[0]);
        return at + 2;
      default:
        out.push(undefined);
        return at + 2;
    }
  }
}

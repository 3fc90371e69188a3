import { toStr } from './values.js';
import type { GlobalAccess } from './helpers.js';

/** A value on the wire (JSON between processes, structured clone between threads). */
export type WireValue = number | string | { readonly big: string };

/** The globals a process changed since its last delta. */
export interface GlobalsDelta {
  /** [name, value] of each global scalar whose value changed. */
  readonly scalars: Array<[string, WireValue]>;
  /** [array, key, value] of each associative-array element that changed; null when it was freed. */
  readonly elements: Array<[string, WireValue, WireValue | null]>;
}

/**
 * Ships a program's globals from the processes where probe clauses set them to mscope, where
 * END reads them (docs/LANGUAGE.md, "Globals in END"). An agent compares its globals with
 * what it last reported, at each delta, so the clauses' code is not touched; the consumer
 * assigns what arrives in arrival order. Objects travel as the string they print as.
 */
export class GlobalsSync {
  private sentScalars: unknown[] = [];
  private sentArrays: Map<unknown, unknown>[] = [];

  constructor(
    private readonly access: GlobalAccess,
    private readonly names: readonly string[],
    private readonly arrayNames: readonly string[],
    private readonly strsize: () => number,
  ) {}

  /** What is there now counts as reported: BEGIN's values, which the consumer computes itself. */
  markSent(): void {
    this.sentScalars = this.access.read();
    this.sentArrays = this.access.arrays.map((m) => new Map(m));
  }

  /** The changes since the last call (or markSent), or undefined when there are none. */
  takeDelta(): GlobalsDelta | undefined {
    const scalars: Array<[string, WireValue]> = [];
    const now = this.access.read();
    now.forEach((v, i) => {
      if (!Object.is(v, this.sentScalars[i])) scalars.push([this.names[i]!, this.toWire(v)]);
    });
    this.sentScalars = now;
    const elements: Array<[string, WireValue, WireValue | null]> = [];
    this.access.arrays.forEach((m, i) => {
      const sent = this.sentArrays[i] ?? new Map<unknown, unknown>();
      const name = this.arrayNames[i]!;
      for (const [k, v] of m) if (!Object.is(sent.get(k), v)) elements.push([name, this.toWire(k), this.toWire(v)]);
      for (const k of sent.keys()) if (!m.has(k)) elements.push([name, this.toWire(k), null]);
      this.sentArrays[i] = new Map(m);
    });
    return scalars.length === 0 && elements.length === 0 ? undefined : { scalars, elements };
  }

  /** Assigns another instance's changes; an agent reports them on with its own next delta. */
  apply(d: GlobalsDelta): void {
    for (const [name, v] of d.scalars) {
      const i = this.names.indexOf(name);
      if (i >= 0) this.access.write(i, fromWire(v));
    }
    for (const [name, k, v] of d.elements) {
      const m = this.access.arrays[this.arrayNames.indexOf(name)];
      if (m === undefined) continue;
      if (v === null) m.delete(fromWire(k));
      else m.set(fromWire(k), fromWire(v));
    }
  }

  private toWire(v: unknown): WireValue {
    if (typeof v === 'number' || typeof v === 'string') return v;
    if (typeof v === 'bigint') return { big: v.toString() };
    if (v === undefined || v === null) return 0;
    return toStr(v, this.strsize());
  }
}

function fromWire(v: WireValue): number | bigint | string {
  return typeof v === 'object' ? BigInt(v.big) : v;
}

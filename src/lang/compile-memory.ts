import { asInt, scalarKind, sizeOf, type CType, type Member } from './ctypes.js';

/**
 * Whole structs, unions, arrays and strings in scratch memory (`s = *p`, `*p = s`, `x = p->inner`):
 * one generated reader `RD{i}(addr)` and writer `WR{i}(addr, v)` per type, member by member
 * at C's offsets, as a D variable holds such a value (an object of members, an array).
 */
export class MemoryCodecs {
  private readonly types: CType[] = [];

  constructor(private readonly strsize: number) {}

  reader(t: CType): string {
    return `RD${this.index(t)}`;
  }

  writer(t: CType): string {
    return `WR${this.index(t)}`;
  }

  /** The functions, once every expression has been compiled (a type's members add theirs). */
  source(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.types.length; i++) out.push(this.readFn(i), this.writeFn(i));
    return out;
  }

  private index(t: CType): number {
    const i = this.types.indexOf(t);
    return i >= 0 ? i : this.types.push(t) - 1;
  }

  private readFn(i: number): string {
    const t = this.types[i]!;
    if (t.kind === 'string') return `function RD${i}(a) { return rt.scratch.string(a, ${sizeOf(t, this.strsize)}); }`;
    if (t.kind === 'array') {
      const size = sizeOf(t.of, this.strsize);
      return `function RD${i}(a) { const v = []; for (let k = 0; k < ${t.length}; k++) v.push(${this.read(t.of, `add(a, k * ${size})`)}); return v; }`;
    }
    const members = t.kind === 'struct' || t.kind === 'union' ? (t.members ?? []) : [];
    const fields = members.map((m) => `${m.name}: ${this.read(m.type, at(m.offset), m)}`).join(', ');
    return `function RD${i}(a) { return { ${fields} }; }`;
  }

  private writeFn(i: number): string {
    const t = this.types[i]!;
    if (t.kind === 'string') return `function WR${i}(a, v) { return rt.scratch.storeString(a, v, ${sizeOf(t, this.strsize)}); }`;
    if (t.kind === 'array') {
      const size = sizeOf(t.of, this.strsize);
      return `function WR${i}(a, v) { for (let k = 0; k < ${t.length}; k++) ${this.write(t.of, `add(a, k * ${size})`, 'v[k]')}; return v; }`;
    }
    const members = t.kind === 'struct' || t.kind === 'union' ? (t.members ?? []) : [];
    const stores = members.map((m) => `${this.write(m.type, at(m.offset), `v.${m.name}`, m)};`).join(' ');
    return `function WR${i}(a, v) { ${stores} return v; }`;
  }

  private read(t: CType, addr: string, m?: Member): string {
    if (m?.bits !== undefined) return `rt.scratch.loadBits(${addr}, ${bitField(m)})`;
    const k = scalarKind(t);
    return k !== null ? `rt.scratch.load(${addr}, "${k}")` : `${this.reader(t)}(${addr})`;
  }

  private write(t: CType, addr: string, v: string, m?: Member): string {
    if (m?.bits !== undefined) return `rt.scratch.storeBits(${addr}, ${bitField(m)}, ${v})`;
    const k = scalarKind(t);
    return k !== null ? `rt.scratch.store(${addr}, "${k}", ${v})` : `${this.writer(t)}(${addr}, ${v})`;
  }
}

/** A bit-field member's layout as Scratch.loadBits and storeBits take it: `size, first, bits, signed`. */
export function bitField(m: Member): string {
  return `${asInt(m.type)!.size}, ${m.bitOffset ?? 0}, ${m.bits ?? 0}, ${asInt(m.type)?.signed === true}`;
}

function at(offset: number): string {
  return offset === 0 ? 'a' : `add(a, ${offset})`;
}

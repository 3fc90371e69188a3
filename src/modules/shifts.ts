/**
 * Where the rewrite moved tokens within their line, so that stack frames can show the
 * untraced columns (stack-columns.ts). No line is ever added or removed: only the columns
 * after an insertion on its line move. The table travels in the module's header as a
 * string, `LINE:COLUMN+LENGTH,COLUMN+LENGTH;LINE:…` (lines 1-based like CallSite lines,
 * columns 0-based in the original text; the transform prefixes `m` when the module carries an
 * inline source map it shifted), and lists only insertions that something a stack
 * frame can point at follows on their line.
 */

/** An insertion of `length` characters before offset `pos` of the original source. */
export interface Inserted {
  readonly pos: number;
  readonly length: number;
}

/** What follows an insertion when nothing a frame can point at moves: closing punctuation. */
const NOTHING_MOVES = /^[\s})\];,]*$/;

/** `inserted` sorted by position (in the order the rewrite applies them at one position). */
export function encodeShifts(source: string, inserted: readonly Inserted[]): string {
  const out: string[] = [];
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  let current = '';
  let currentLine = 0;
  for (const ins of inserted) {
    for (; scanned < ins.pos; scanned++) {
      const c = source.charCodeAt(scanned);
      // V8's line terminators; CR LF is one.
      if (c === 10 || c === 0x2028 || c === 0x2029 || (c === 13 && source.charCodeAt(scanned + 1) !== 10)) {
        line++;
        lineStart = scanned + 1;
      }
    }
    if (NOTHING_MOVES.test(source.slice(ins.pos, lineEnd(source, ins.pos)))) continue;
    if (line !== currentLine) {
      if (current !== '') out.push(current);
      current = `${line}:`;
      currentLine = line;
    } else current += ',';
    current += `${ins.pos - lineStart}+${ins.length}`;
  }
  if (current !== '') out.push(current);
  return out.join(';');
}

function lineEnd(source: string, pos: number): number {
  for (let i = pos; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return i;
  }
  return source.length;
}

/** Line → flat [column, length, column, length, …] of its insertions. */
export type ShiftTable = Map<number, number[]>;

export function decodeShifts(text: string): ShiftTable {
  const table: ShiftTable = new Map();
  for (const entry of text.split(';')) {
    if (entry === '') continue;
    const colon = entry.indexOf(':');
    const pairs: number[] = [];
    for (const item of entry.slice(colon + 1).split(',')) {
      const plus = item.indexOf('+');
      pairs.push(Number(item.slice(0, plus)), Number(item.slice(plus + 1)));
    }
    table.set(Number(entry.slice(0, colon)), pairs);
  }
  return table;
}

/**
 * The untraced 1-based column of rewritten column `column` on a line with insertions
 * `pairs`. A position inside inserted text (our own code) gets the column it was inserted at.
 */
export function originalColumn(pairs: readonly number[], column: number): number {
  const at = column - 1;
  let offset = 0;
  for (let k = 0; k < pairs.length; k += 2) {
    const start = pairs[k]! + offset;
    if (at < start) break;
    const length = pairs[k + 1]!;
    if (at < start + length) return pairs[k]! + 1;
    offset += length;
  }
  return at - offset + 1;
}

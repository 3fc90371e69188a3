import type { Expr, Type } from './ast.js';
import type { CompiledFormat } from '../aggregate/printf.js';
import type { DiagnosticBag } from './diagnostics.js';

/** What a conversion takes, as DTrace's printf prototypes say (dt_printf.c's pfcheck_* table). */
type Wants = 'integer' | 'string' | 'number';

/** The types (`Type`, and `float` once floats are typed) each kind of conversion accepts; a value of the traced program (`dyn`) is converted at run time. */
const ACCEPTS: Record<Wants, readonly string[]> = {
  integer: ['int', 'dyn'],
  string: ['string', 'dyn'],
  number: ['int', 'float', 'dyn'],
};

const DESCRIBE: Record<Wants, string> = { integer: 'an integer', string: 'a string', number: 'a number' };

interface Slot {
  readonly wants: Wants;
  readonly text: string;
}

/** The argument each conversion of `fmt` takes, in order: `*` widths and precisions are integers. */
function slots(fmt: CompiledFormat): Slot[] {
  const out: Slot[] = [];
  for (const seg of fmt.segments) {
    if (typeof seg === 'string' || seg.agg) continue;
    if (seg.width === -2) out.push({ wants: 'integer', text: '*' });
    if (seg.precision === -2) out.push({ wants: 'integer', text: '.*' });
    const wants: Wants = seg.conv === 's' ? 'string' : 'efg'.includes(seg.conv) ? 'number' : 'integer';
    out.push({ wants, text: seg.text });
  }
  return out;
}

/**
 * printf's arguments against its conversions, at compile time as DTrace checks them: `%d`
 * with a string, or `%s` with an integer, is refused at the argument (D4201).
 */
export function checkFormatArgs(name: string, fmt: CompiledFormat, args: readonly Expr[], diags: DiagnosticBag): void {
  slots(fmt).forEach((slot, i) => {
    const a = args[i];
    const t = a?.type;
    if (a === undefined || t === undefined || t === 'void' || ACCEPTS[slot.wants].includes(t)) return;
    diags.report('D4201', a.span, [i + 2, name, describe(t), slot.text, DESCRIBE[slot.wants]]);
  });
}

function describe(t: Type): string {
  return t === 'int' ? 'an integer' : t === 'string' ? 'a string' : `a ${t}`;
}
